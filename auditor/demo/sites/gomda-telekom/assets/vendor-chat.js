/* Chat panel loader: a local stand-in, written for the demo, for a hosted virtual-assistant
 * snippet. It defines window.boostInit like the real loader and builds the launcher
 * (#boost-chat-launcher) -- but this site asks for it hidden, so the script loads and the
 * launcher never shows (display:none). */
(function () {
  var panel = null;
  function openPanel(opts) {
    if (!panel) {
      panel = document.createElement('div');
      panel.id = 'boost-chat-panel';
      panel.className = 'BoostChatPanel';
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-label', opts.title || 'Virtuell assistent');
      panel.style.cssText = 'position:fixed;right:24px;bottom:96px;width:340px;height:440px;background:#fff;border-radius:14px;' +
        'box-shadow:0 10px 40px rgba(0,0,0,.3);z-index:99999;overflow:hidden;font-family:inherit';
      var head = document.createElement('div');
      head.style.cssText = 'background:' + (opts.color || '#4b1d6b') + ';color:#fff;padding:14px 16px;font-weight:700';
      head.textContent = opts.title || 'Virtuell assistent';
      var body = document.createElement('p');
      body.style.cssText = 'padding:0 16px';
      body.textContent = 'Hej! Jag är en digital assistent. Vad kan jag hjälpa dig med?';
      panel.appendChild(head); panel.appendChild(body);
      document.body.appendChild(panel);
    } else {
      panel.style.display = panel.style.display === 'none' ? 'block' : 'none';
    }
  }
  window.boostInit = function (customer, opts) {
    opts = opts || {};
    var api = { customer: customer, options: opts, show: function () { openPanel(opts); } };
    window.boostChatPanel = api;
    if (document.getElementById('boost-chat-launcher')) return api;
    var launcher = document.createElement('div');
    launcher.id = 'boost-chat-launcher';
    launcher.className = 'boost-chat-launcher';
    launcher.style.cssText = 'position:fixed;right:24px;bottom:24px;z-index:99998';
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'boost-chat-launcher__button';
    b.setAttribute('aria-label', opts.ariaLabel || 'Öppna chatt med virtuell assistent');
    b.style.cssText = 'border:0;border-radius:30px;padding:12px 20px;background:' + (opts.color || '#4b1d6b') + ';color:#fff;font:700 15px/1 inherit;cursor:pointer';
    b.textContent = opts.launcherText || 'Fråga mig';
    b.onclick = api.show;
    launcher.appendChild(b);
    if (opts.hideLauncher) launcher.style.display = 'none';
    document.body.appendChild(launcher);
    return api;
  };
  function auto() {
    var s = window.boostChatSettings;
    if (s && s.customer) window.boostInit(s.customer, s);
  }
  if (document.body) auto(); else document.addEventListener('DOMContentLoaded', auto);
})();
