// Loads the wasm package built by scripts/build-wasm.sh (web/pkg) and shows its version.
import init, { version } from "./pkg/callcap_wasm.js";

const out = document.getElementById("version");
try {
  await init();
  out.textContent = version();
} catch (err) {
  out.textContent = `failed to load the wasm module: ${err}`;
}
