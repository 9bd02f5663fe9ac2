// Dark mode follows the system; a reader's explicit choice (stored locally) wins. This runs before
// first paint, so there is no flash, and the toggle works with these few lines and no framework JS.
// It also rewrites <time data-local> in the reader's own time zone, in the house style the server
// uses ("26 November 2026 at 14:05 GMT+1"). It uses Date's own getters, not Intl: a page's first
// Intl.DateTimeFormat loads the browser's locale data, 45-90 ms of main thread on this machine.
const THEME_SCRIPT = `(function(){var d=document.documentElement;try{var t=localStorage.getItem("theme");if(t==="dark"||t==="light")d.dataset.theme=t}catch(e){}
document.addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("[data-theme-toggle]");if(!b)return;
var dark=d.dataset.theme?d.dataset.theme==="dark":matchMedia("(prefers-color-scheme: dark)").matches;var n=dark?"light":"dark";d.dataset.theme=n;try{localStorage.setItem("theme",n)}catch(e){}});
var M=["January","February","March","April","May","June","July","August","September","October","November","December"];function p(n){return(n<10?"0":"")+n}
document.addEventListener("DOMContentLoaded",function(){document.querySelectorAll("time[data-local]").forEach(function(el){var t=new Date(el.dateTime);if(isNaN(t))return;
var s=t.getDate()+" "+M[t.getMonth()]+" "+t.getFullYear();if(el.dataset.local==="datetime"){var o=-t.getTimezoneOffset(),a=Math.abs(o);
s+=" at "+p(t.getHours())+":"+p(t.getMinutes())+" GMT"+(o?(o<0?"-":"+")+Math.floor(a/60)+(a%60?":"+p(a%60):""):"")}el.textContent=s})})})();`;

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
