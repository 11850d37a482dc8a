// Staff pages run in the browser only: they talk to the API with the session cookie and
// hold private keys in memory, which server rendering must never see.
export const ssr = false;
