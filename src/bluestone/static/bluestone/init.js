// Progressive enhancement for every page. The pages work without it; this only adds behaviour.
// Loaded with type="module", so browsers that cannot run GOV.UK Frontend's ES modules skip it,
// which takes the place of GOV.UK's inline "supported" snippet that our Content-Security-Policy forbids.
import { initAll as initGovukFrontend } from "../vendor/govuk/all.bundle.mjs";
import { initAll as initMojFrontend } from "../vendor/moj/all.bundle.mjs";

// Both libraries check for this class before they enhance a component.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovukFrontend();
initMojFrontend();
