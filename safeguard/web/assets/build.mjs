// Copies GOV.UK Frontend and htmx into safeguard/web/static/vendor/ (axe-core into tests/browser/).
// The built files are committed, so a fresh clone serves the app without npm.
// The GDS Transport font and the crown are for GOV.UK services only; a council's service is not
// one, so the @font-face rules are dropped (text falls back to Arial, as the CSS already says).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const out = join(root, "safeguard", "web", "static", "vendor");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });
const css = readFileSync(join(govuk, "govuk-frontend.min.css"), "utf8")
  .replace(/@font-face\{[^}]*\}/g, "")
  .replace(/url\(\/assets\/images\/govuk-crest\.svg\)/g, "none");
writeFileSync(join(out, "govuk-frontend.min.css"), css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(govuk, "assets", "images", "favicon.ico"), join(out, "favicon.ico"));
copyFileSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
// axe-core is for the accessibility tests only, so it goes beside them, not into the static files.
copyFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(root, "tests", "browser", "axe.min.js"));
console.log(`built ${out}`);
