// Marks the page as having JavaScript before it is drawn, so that GOV.UK Frontend's components
// are styled for it from the start. A file, not an inline script: the Content-Security-Policy
// allows scripts from this site only.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
