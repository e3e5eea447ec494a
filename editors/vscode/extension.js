// The VS Code client: starts `aisecops lsp` (the binary named by the `aisecops.path` setting)
// for `.agp` files; diagnostics and formatting come from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("aisecops").get("path") || "aisecops";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "aisecops",
    "aisecops",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "agp" }, { scheme: "untitled", language: "agp" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
