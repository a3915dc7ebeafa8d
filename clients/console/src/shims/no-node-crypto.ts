// sjcl (inside @cloudflare/blindrsa-ts) looks for Node's `crypto` module only when `module.exports` exists, which it
// never does in the browser, where it takes window.crypto. This empty stand-in lets the bundler resolve the name.
export default {};
