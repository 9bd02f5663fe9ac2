import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { operator } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { roleSchema } from "@/lib/staff/validation";
import { fail, finish, openScriptDatabase } from "./cli";

const usage = `Usage: npm run user:create -- --email EMAIL --role admin|editor|writer [--name "Full Name"]

Creates a staff account. The password is asked for at a prompt (not echoed), or read from the
first line of standard input when it is not a terminal. It is never taken from a flag, where it
would end up in shell history and process lists.`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.password !== undefined) fail(`Passwords are never given as flags.\n\n${usage}`);
if (!values.email) fail(`--email is required.\n\n${usage}`);
const role = roleSchema.safeParse(values.role);
if (!role.success) fail(`--role must be admin, editor or writer.\n\n${usage}`);

/** Reads a password from the terminal without echoing it, or the first line of piped input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return "";
  }
  process.stdout.write("Password (at least 12 characters): ");
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let password = "";
  return new Promise((resolve) => {
    process.stdin.on("data", (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write("\n");
          resolve(password);
          return;
        }
        if (char === "\u0003") process.exit(130); // Ctrl+C
        password = char === "\u007f" ? password.slice(0, -1) : password + char;
      }
    });
  });
}

const password = await readPassword();
await openScriptDatabase("create a staff account");
try {
  const name = values.name ?? values.email.split("@")[0]!;
  const account = await createStaffAccount(operator, { email: values.email, name, role: role.data, password });
  console.log(`Created the ${role.data} account ${values.email} (author slug ${account.slug}).`);
} catch (error) {
  if (error instanceof DomainError) fail(`Cannot create the account: ${error.message}`);
  throw error;
} finally {
  await finish();
}
