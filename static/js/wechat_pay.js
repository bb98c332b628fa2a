// WeChat Pay inside WeChat (JSAPI): hand the signed parameters the page carries
// to WeChat's own bridge, then go back to the order, whatever the outcome.
(function () {
  var holder = document.getElementById("wechat-jsapi");
  if (!holder) return;
  var params = JSON.parse(holder.textContent);
  var back = document.querySelector("a.button").href;
  function pay() {
    window.WeixinJSBridge.invoke("getBrandWCPayRequest", params, function () {
      window.location.href = back;
    });
  }
  if (window.WeixinJSBridge) pay();
  else document.addEventListener("WeixinJSBridgeReady", pay, false);
})();
