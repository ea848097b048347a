// Telegram opens the Mini App with its signed launch data in the address's fragment (#tgWebAppData=...).
// The fragment never reaches the server by itself, so this posts it; the server checks the signature.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var params = new URLSearchParams(window.location.hash.slice(1));
  var data = params.get("tgWebAppData");
  if (!data) {
    return;
  }
  var form = document.getElementById("miniapp-login");
  form.elements["init_data"].value = data;
  form.submit();
});
