import assert from "node:assert/strict";
import { test } from "node:test";
import { kit } from "./_cli.ts";

const commands = ["bench", "grade", "package-gradescope", "rehearse", "release", "test-runtimes", "verify"];

for (const command of commands) {
  test(`${command} --help prints its usage, and an unknown flag prints what is wrong and the usage`, () => {
    const help = kit(command, ["--help"]);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^npm run /);
    const wrong = kit(command, ["--no-such-flag"]);
    assert.equal(wrong.status, 2, wrong.stderr);
    assert.match(wrong.stderr, /^Unknown option '--no-such-flag'[^]*\n\nnpm run /);
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, "no stack trace");
  });
}
