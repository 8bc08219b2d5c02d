/**
 * Unpacking a Debian package (.deb) into a folder. With `dpkg-deb` (Debian,
 * Ubuntu) that is one command. Elsewhere the package is read here: a .deb is
 * an `ar` archive whose member `data.tar.*` holds the files, compressed with
 * xz, zstd or gzip, which `tar` unpacks (node:zlib has no xz).
 *
 * @example
 * await unpackDeb("postgresql-doc-15_15.20-0+deb12u1_all.deb", "/tmp/unpacked");
 */
import { spawnSync } from "node:child_process";
import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Unpacks the files of a .deb into a folder (created if needed).
 *
 * @throws Error when the file is not a .deb or no tool could unpack it.
 */
export async function unpackDeb(debFile: string, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  if (hasCommand("dpkg-deb")) {
    run("dpkg-deb", ["-x", debFile, folder]);
    return;
  }
  const data = await dataMember(debFile);
  const tarball = join(folder, data.name);
  await writeFile(tarball, data.bytes);
  try {
    run("tar", ["-xf", tarball, "-C", folder]);
  } finally {
    await rm(tarball, { force: true });
  }
}

/** The `data.tar.*` member of a .deb's `ar` archive. */
async function dataMember(debFile: string): Promise<{ name: string; bytes: Uint8Array }> {
  const file = await open(debFile);
  try {
    const bytes = new Uint8Array((await file.stat()).size);
    await file.read(bytes, 0, bytes.length, 0);
    const text = (from: number, length: number) => new TextDecoder("latin1").decode(bytes.subarray(from, from + length));
    if (text(0, 8) !== "!<arch>\n") throw new Error(`Cannot unpack ${debFile}: it is not a Debian package`);
    // Each member: a 60-byte header (name: 16 bytes, size: 10 bytes at offset 48), then its bytes, padded to even.
    for (let at = 8; at + 60 <= bytes.length; ) {
      const name = text(at, 16).trim().replace(/\/$/, "");
      const size = Number(text(at + 48, 10).trim());
      if (name.startsWith("data.tar")) return { name, bytes: bytes.subarray(at + 60, at + 60 + size) };
      at += 60 + size + (size % 2);
    }
    throw new Error(`Cannot unpack ${debFile}: it has no data.tar member`);
  } finally {
    await file.close();
  }
}

/** Whether a command can be run here. */
export function hasCommand(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim();
    throw new Error(`Cannot run ${command} ${args.join(" ")}: ${why}`);
  }
}
