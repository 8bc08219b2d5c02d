/**
 * The search page of milestone 6's reference, in a real browser: headless
 * Chromium, driven through ChromeDriver's WebDriver protocol (plain HTTP
 * and JSON), types a query into the page's box, submits the form, and must
 * see the engine's best hit first, with its title. Debian's `chromium` and
 * `chromium-driver` packages provide both (.ci/run installs them); where
 * either is missing the test is skipped and says so.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { once } from "node:events";
import type * as Api from "../../../m6-processing/api.ts";
import { envVariable, load, withDeps } from "../../kit/implementations.ts";
import { startWeb } from "../../web/index.ts";
import { temporaryFolder } from "../_temporary.ts";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
const chromedriver = ["/usr/bin/chromedriver"].find((path) => existsSync(path));
const missing = chromium === undefined || chromedriver === undefined
  ? "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver), which this machine lacks"
  : false;

/** WebDriver's key for an element reference in its answers. */
const elementKey = "element-6066-11e4-a52e-4f735466cecf";

/** ChromeDriver on a free port, and what it printed; it and its browsers keep their files in `tmp`. */
async function startDriver(path: string, tmp: string): Promise<{ process: ChildProcess; url: string }> {
  const driver = spawn(path, ["--port=0"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TMPDIR: tmp } });
  let printed = "";
  for await (const chunk of driver.stdout ?? []) {
    printed += String(chunk);
    const started = /started successfully on port (\d+)/.exec(printed);
    if (started) return { process: driver, url: `http://127.0.0.1:${started[1]}` };
  }
  throw new Error(`ChromeDriver did not start: ${printed}`);
}

/** One WebDriver command: its `value`, or an Error with the driver's message. */
async function command(url: string, method: "GET" | "POST" | "DELETE", body?: object): Promise<any> {
  const answer = await fetch(url, { method, headers: { "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const { value } = (await answer.json()) as { value: any };
  if (!answer.ok) throw new Error(`WebDriver ${method} ${url}: ${value?.message ?? answer.status}`);
  return value;
}

test("the search page, in headless Chromium: a query typed into its box and submitted shows the engine's best hit first, with its title", { skip: missing }, async (t) => {
  process.env[envVariable] = withDeps("m6", "reference", "reference");
  const m6 = await load<typeof Api>("m6");
  const web = await startWeb({ pages: 40, seed: 5, slowMs: 0 });
  t.after(() => web.close());
  const node = await m6.startNode();
  t.after(() => node.stop());
  await node.groups.put("web", [node.address]);
  const engine = node.engine("web");
  await engine.crawl(`${web.url}/`);
  await engine.index();
  await engine.rank();
  const server = await engine.serve();
  const query = web.web?.topics[0]?.slug ?? "page";
  const [best] = (await engine.search(query)).hits;
  assert.ok(best, `the engine finds "${query}"`);

  let removeTmp = () => {};
  const tmp = temporaryFolder("chromium-", (remove) => (removeTmp = remove));
  const driver = await startDriver(chromedriver as string, tmp);
  let session: string | undefined;
  t.after(async () => {
    try {
      if (session !== undefined) await command(session, "DELETE");
    } finally {
      driver.process.kill();
      if (driver.process.exitCode === null) await once(driver.process, "exit");
      // Only once the driver and its browser are gone.
      removeTmp();
    }
  });
  const { sessionId } = await command(`${driver.url}/session`, "POST", {
    capabilities: {
      alwaysMatch: {
        browserName: "chrome",
        "goog:chromeOptions": { binary: chromium, args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] },
      },
    },
  });
  session = `${driver.url}/session/${sessionId}`;
  const find = async (css: string): Promise<string> => (await command(`${session}/element`, "POST", { using: "css selector", value: css }))[elementKey];
  await command(`${session}/timeouts`, "POST", { implicit: 30_000, pageLoad: 60_000 });

  await command(`${session}/url`, "POST", { url: `${server.url}/` });
  await command(`${session}/element/${await find("input[name=q]")}/value`, "POST", { text: query });
  await command(`${session}/element/${await find("form button, form input[type=submit]")}/click`, "POST", {});
  const first = await find("#hits li a");
  assert.equal(await command(`${session}/element/${first}/property/href`, "GET"), best.url);
  assert.equal(await command(`${session}/element/${first}/text`, "GET"), best.title);
  assert.match(await command(`${session}/url`, "GET"), new RegExp(`[?&]q=${encodeURIComponent(query)}`));
});
