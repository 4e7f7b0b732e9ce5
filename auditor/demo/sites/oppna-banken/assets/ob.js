/* Cookie banner: plain JS, no consent platform. Answer is kept in the cookie "oppnabanken_samtycke" for a year. */
(function () {
  var NAME = 'oppnabanken_samtycke';
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
      '<p>Nödvändiga cookies behövs för att internetbanken ska fungera. Med ditt samtycke använder vi även cookies för statistik och för att anpassa erbjudanden.</p></div>' +
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

/* In-house chat on the contact page: a panel with a queue message, no vendor. */
(function () {
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    var btn = document.getElementById('starta-chatt');
    if (!btn) return;
    btn.addEventListener('click', function () {
      if (document.getElementById('chattfonster')) return;
      var p = document.createElement('section');
      p.id = 'chattfonster'; p.className = 'chat-panel'; p.setAttribute('role', 'dialog'); p.setAttribute('aria-label', 'Chatt med kundservice');
      p.innerHTML = '<header><strong>Chatt med kundservice</strong><button type="button" aria-label="Stäng chatten">×</button></header>' +
        '<div class="msgs"><p>Hej! Du är nummer 2 i kön. Beräknad väntetid är under 3 minuter.</p><p class="fine">Skriv aldrig ditt kortnummer eller dina koder i chatten.</p></div>' +
        '<form><input aria-label="Skriv ett meddelande" autocomplete="off"><button type="submit">Skicka</button></form>';
      document.body.appendChild(p);
      p.querySelector('header button').onclick = function () { p.remove(); btn.focus(); };
      p.querySelector('form').onsubmit = function (e) {
        e.preventDefault();
        var i = p.querySelector('input'); if (!i.value) return;
        var m = document.createElement('p'); m.textContent = 'Du: ' + i.value; p.querySelector('.msgs').appendChild(m); i.value = '';
      };
      p.querySelector('input').focus();
    });
  });
})();
