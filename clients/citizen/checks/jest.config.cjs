// The built mini-program's pages in miniprogram-simulate (WeChat's own component simulator, on jsdom): nothing
// runs a real mini-program on Linux, so this renders the compiled WXML and drives taps with wx.* stood in for.
module.exports = {
  rootDir: __dirname,
  testMatch: ["<rootDir>/*.test.cjs"],
  testEnvironment: "jsdom",
};
