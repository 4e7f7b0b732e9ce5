/* Cookie banner: plain JS, no consent platform. Answer is kept in the cookie "gomda_cc" for a year. */
(function () {
  var NAME = 'gomda_cc';
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
      '<p>Vi och våra 84 partner använder cookies för att ge dig en personlig upplevelse, visa relevanta erbjudanden och mäta hur webbplatsen används.</p></div>' +
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

/* "Visa telefonnummer" on the contact page. */
(function () {
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    document.querySelectorAll('button.reveal[aria-controls]').forEach(function (b) {
      b.addEventListener('click', function () {
        var t = document.getElementById(b.getAttribute('aria-controls'));
        var open = b.getAttribute('aria-expanded') !== 'true';
        b.setAttribute('aria-expanded', String(open));
        t.hidden = !open;
        b.textContent = open ? 'Dölj telefonnummer' : 'Visa telefonnummer';
      });
    });
    var bankid = document.getElementById('bankid-start');
    if (bankid) bankid.addEventListener('click', function (e) {
      e.preventDefault();
      document.getElementById('bankid-status').textContent = 'BankID-appen kunde inte startas. Försök igen senare.';
    });
  });
})();
