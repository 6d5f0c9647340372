/* Material for MkDocs (MIT) partials/javascripts/content.html, moved from an inline script to
   a file for the Content-Security-Policy: open the content tab named in the URL hash. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
