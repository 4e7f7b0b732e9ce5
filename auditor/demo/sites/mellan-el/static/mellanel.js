/* Cookie banner: plain JS, no consent platform. Answer is kept in the cookie "mellanel_cookies" for a year. */
(function () {
  var NAME = 'mellanel_cookies';
  function answered() { return new RegExp('(?:^|;\\s*)' + NAME + '=').test(document.cookie); }
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    if (answered()) return;
    var bar = document.createElement('div');
    bar.id = 'cookie-banner';
    bar.className = 'cookie-banner';
    bar.setAttribute('role', 'dialog');
    bar.setAttribute('aria-modal', 'false');
    bar.setAttribute('aria-labelledby', 'cookie-banner-rubrik');
    bar.innerHTML =
      '<div class="cookie-banner__inner">' +
      '<div><h2 id="cookie-banner-rubrik">Vi använder cookies</h2>' +
      '<p>Vi använder cookies för att webbplatsen ska fungera och, om du vill, för att mäta besök och visa relevanta elavtal.</p></div>' +
      '<div class="cookie-banner__knappar">' +
      '<button type="button" class="cookie-banner__neka" data-svar="nodvandiga">Endast nödvändiga</button>' +
      '<button type="button" class="cookie-banner__godkann" data-svar="alla">Godkänn alla</button>' +
      '</div></div>';
    document.body.appendChild(bar);
    bar.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-svar]');
      if (!b) return;
      document.cookie = NAME + '=' + b.getAttribute('data-svar') + '; path=/; max-age=31536000; SameSite=Lax';
      bar.hidden = true;
      bar.parentNode.removeChild(bar);
    });
  });
})();
