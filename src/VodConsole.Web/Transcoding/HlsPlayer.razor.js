// Plays an HLS master playlist in a <video>: through hls.js on Media Source Extensions (Chromium, Firefox), or natively
// where the browser plays HLS itself (Safari). hls.js is the pinned copy under wwwroot/lib/hls.js (scripts/update-hls.sh).
import Hls from '../lib/hls.js/hls.min.mjs';

const players = new WeakMap();

export function attach(video, url) {
    detach(video);
    if (Hls.isSupported()) {
        // No worker: hls.js would start it from a blob: URL, which the console's content security policy refuses.
        const hls = new Hls({ enableWorker: false });
        hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => { video.dataset.level = String(data.level); });
        hls.on(Hls.Events.ERROR, (_, data) => {
            if (data.fatal) {
                video.dataset.error = data.details;
            }
        });
        hls.loadSource(url);
        hls.attachMedia(video);
        players.set(video, hls);
        video.dataset.engine = 'hls.js';
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = url;
        video.dataset.engine = 'native';
    } else {
        video.dataset.engine = 'none';
    }
}

export function detach(video) {
    players.get(video)?.destroy();
    players.delete(video);
}
