// Settings read by Bootstrap Italia's bundle; loaded just before it (see base.html).
// The bundle includes video.js, which would otherwise inject <style> elements at load time:
// the Content-Security-Policy (style-src 'self') blocks those, and carenet plays no video.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
