// Starts the page's WebAssembly. It is a file rather than an inline script because the
// page's Content-Security-Policy allows only its own files to run. trunk writes the
// generated (content-hashed) file names into this tag's data attributes.
const tag = document.querySelector("script[data-wasm]");
// The service worker that keeps this version of the site for offline use
// (www/service_worker.js), registered once the page has loaded so that it never competes with
// the start. Without one (an insecure context, a browser without them) the site works as before.
if ("serviceWorker" in navigator) {
  const register = () => navigator.serviceWorker.register("./service_worker.js").catch(() => {});
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
}
try {
  const { default: init } = await import(tag.dataset.js);
  await init({ module_or_path: tag.dataset.wasm });
} catch (error) {
  const message = document.getElementById("boot-error");
  message.textContent =
    "phonehome could not start in this browser (" + error + "). It needs WebAssembly and module scripts, " +
    "available in current versions of Chrome, Edge, Firefox and Safari.";
  message.hidden = false;
}
