// Progressive enhancement for the public portal. Every page works without it.
// Loaded with type="module": browsers that cannot run GOV.UK Frontend's ES modules skip it, and the
// "Exit this page" link then still works as an ordinary link.
import { initAll } from "../vendor/govuk/all.bundle.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Quick exit. GOV.UK Frontend's own Exit this page module leaves by assigning location.href, which
// keeps the portal page in the browser's history; a person checking up on someone could press Back
// and see it. location.replace swaps this page's history entry for the exit address instead, which
// signs out and throws away a report in progress on the server before sending the browser on to a
// neutral site: Back then finds nothing to show.
const exitButton = document.querySelector("[data-portal-exit] .govuk-exit-this-page__button");
if (exitButton instanceof HTMLAnchorElement) {
  const SHIFT_PRESSES_TO_EXIT = 3;
  const SHIFT_WINDOW_MS = 5000;
  let shiftPresses = 0;
  let shiftTimer = null;

  const leave = () => {
    // Hide the page at once, before the neutral site has loaded.
    document.body.classList.add("govuk-exit-this-page-hide-content");
    window.location.replace(exitButton.href);
  };

  exitButton.addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        leave();
        return;
      }
      // GOV.UK's convention as well: Shift pressed three times within five seconds.
      if (event.key === "Shift" && !event.repeat) {
        shiftPresses += 1;
        window.clearTimeout(shiftTimer);
        if (shiftPresses >= SHIFT_PRESSES_TO_EXIT) {
          leave();
          return;
        }
        shiftTimer = window.setTimeout(() => {
          shiftPresses = 0;
        }, SHIFT_WINDOW_MS);
      } else {
        shiftPresses = 0;
      }
    },
    true,
  );

  // A page the browser brings back from its back-forward cache was not asked of the server again: ask
  // now, hidden until the answer comes, so that after a quick exit it shows nothing but the sign-in
  // page or an empty question.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      document.body.classList.add("govuk-exit-this-page-hide-content");
      window.location.reload();
      return;
    }
    document.body.classList.remove("govuk-exit-this-page-hide-content");
  });
}
