// Buttons with data-confirm ask before they submit (the Content-Security-Policy forbids inline handlers).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
