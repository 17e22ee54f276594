// Marks the page as having JavaScript and GOV.UK Frontend support before it is drawn.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
