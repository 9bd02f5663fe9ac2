// Dark mode follows the system; a reader's explicit choice (stored locally) wins. This runs before
// first paint, so there is no flash, and the toggle works with these few lines and no framework JS.
// It also shows <time data-local> in the reader's own locale and time zone, with one formatter per
// kind: making an Intl.DateTimeFormat costs about 0.6 ms, and a front page has some forty dates.
const THEME_SCRIPT = `(function(){var d=document.documentElement;try{var t=localStorage.getItem("theme");if(t==="dark"||t==="light")d.dataset.theme=t}catch(e){}
document.addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("[data-theme-toggle]");if(!b)return;
var dark=d.dataset.theme?d.dataset.theme==="dark":matchMedia("(prefers-color-scheme: dark)").matches;var n=dark?"light":"dark";d.dataset.theme=n;try{localStorage.setItem("theme",n)}catch(e){}});
document.addEventListener("DOMContentLoaded",function(){var f={};document.querySelectorAll("time[data-local]").forEach(function(el){try{var k=el.dataset.local;
f[k]=f[k]||new Intl.DateTimeFormat(undefined,k==="datetime"?{dateStyle:"long",timeStyle:"short"}:{dateStyle:"long"});el.textContent=f[k].format(new Date(el.dateTime))}catch(e){}})});})();`;

export function ThemeScript() {
  // static code written here, never stored content
  return <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />;
}

export function ThemeToggle() {
  return (
    <button type="button" data-theme-toggle className="rounded border border-rule px-2 py-1 text-sm">
      <span aria-hidden="true" className="theme-icon" />
      <span className="ml-1">Theme</span>
      <span className="sr-only">: switch between light and dark</span>
    </button>
  );
}
