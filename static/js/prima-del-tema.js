/* Read by the theme's bundle when it loads. Bootstrap Italia ships video.js, which at load
   writes two <style> elements into the page; our Content-Security-Policy (style-src 'self')
   blocks them and the browser logs the violations. No page plays videos with its default
   sizes, so video.js is told not to write them. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
