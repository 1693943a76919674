/* The behaviours of Bootstrap Italia the pages use, loaded as the theme's own ES modules
   (design-django-theme ships them in static/plugins/) instead of its 1 MB bundle, which
   carries video.js, Splide, anime.js and Popper that no page uses: on a phone the bundle
   cost half a second of main thread before the first paint (docs/performance.md).
   - track-focus: tells keyboard focus from mouse focus, for the focus ring;
   - navbar-collapsible: the main menu on small screens (data-bs-toggle="navbarcollapsible");
   - input: the labels of .form-group fields. */
import "../plugins/track-focus.js";
import "../plugins/navbar-collapsible.js";
import "../plugins/input.js";
