// Progressive enhancement only: every journey works without this file.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
