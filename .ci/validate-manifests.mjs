// Validates Kubernetes manifests (a multi-document YAML file, e.g. `kubectl kustomize`
// output) against the API's JSON schemas, as compiled by the npm package kubernetes-models
// (generated from the Kubernetes OpenAPI spec; ajv validators for every kind). Checks
// types, required fields, enums and formats of every object; it does not flag unknown
// fields (the API server does, with kubectl's default --validate=strict).
//
//   node validate-manifests.mjs FILE     (kubernetes-models and yaml resolvable from here)
//
// Prints one line per object and "N passed, N failed"; exits 1 if any object is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-manifests.mjs FILE");
  process.exit(2);
}

let passed = 0;
let failed = 0;
const fail = (what, message) => {
  failed++;
  console.error(`FAIL ${what}: ${message}`);
};

for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (doc.errors.length > 0) {
    fail("YAML", doc.errors.map((e) => e.message).join("; "));
    continue;
  }
  const object = doc.toJS();
  if (object == null) {
    continue;
  }
  const { apiVersion, kind } = object;
  const what = `${apiVersion}/${kind}/${object.metadata?.name ?? "(no name)"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    fail(what, "apiVersion and kind are required");
    continue;
  }
  let models;
  try {
    models = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    fail(what, `no schemas for apiVersion ${apiVersion}`);
    continue;
  }
  const Model = models[kind];
  if (typeof Model !== "function") {
    fail(what, `apiVersion ${apiVersion} has no kind ${kind}`);
    continue;
  }
  try {
    new Model(object).validate();
    passed++;
    console.log(`ok   ${what}`);
  } catch (error) {
    fail(what, error.message);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
