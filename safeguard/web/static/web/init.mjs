// Starts GOV.UK Frontend's components (error summary focus, radios, checkboxes, ...).
import { initAll } from "../vendor/govuk-frontend.min.js";
initAll();
