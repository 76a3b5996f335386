# Varnish in front of an Antenne origin, for LL-HLS (docs/CDN.md says why each rule).
#
#   varnishd -a :80 -f /etc/varnish/antenne.vcl -s malloc,1g
#
# Set the origin's address in `backend antenne`. Checked by tests/cdn (Varnish 7.1, Debian's
# `varnish` package), which runs this file as it is with the backend's port changed.

vcl 4.1;

import std;

backend antenne {
    .host = "127.0.0.1";
    .port = "8080";
    # A blocking reload or a part at the live edge is held by the origin for up to three target
    # durations before its first byte.
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

sub vcl_recv {
    if (req.url ~ "^/(hls|dash|vod|clips)/") {
        if (req.method != "GET" && req.method != "HEAD") {
            return (pass);
        }
        # Playback URLs use no cookie and no credentials: a browser's cookies for the site must
        # not make them uncacheable (the built-in rules pass any request with a Cookie).
        unset req.http.Cookie;
        # The whole URL is the cache key (the built-in vcl_hash: URL and Host), query included:
        # `_HLS_msn`, `_HLS_part` and `_HLS_skip` make each blocking reload and delta update an
        # object of its own, and a token channel's `token` keeps each token's answers apart. The
        # parameters are sorted so that the same request in another order is the same object.
        set req.url = std.querysort(req.url);
        return (hash);
    }
    # Pages, the player, health, metrics and the control API: not cached.
    return (pass);
}

sub vcl_backend_response {
    # The origin's Cache-Control sets the TTL: a year for segments, parts and init segments,
    # 1 s for live playlists and blocking reloads, 2 s for the multivariant playlist. Concurrent
    # misses on one object wait for the first one's answer (Varnish's waiting list): one
    # request per object reaches the origin.
    if (beresp.status >= 400) {
        # Errors are `no-store`: never cached, and remembered as uncacheable for a second only
        # (the built-in rule says two minutes), so that a 404 for a part asked too early does not
        # keep the part's viewers from being collapsed once it exists.
        set beresp.ttl = 1s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (bereq.url ~ "\.(m3u8|mpd)(\?|$)") {
        # A live playlist is never served past its TTL (the default grace would serve one ten
        # seconds old while fetching anew); an expired one is kept a little longer so that it
        # is revalidated with its ETag (If-None-Match, 304 when unchanged).
        set beresp.grace = 0s;
        set beresp.keep = 10s;
    }
}

sub vcl_deliver {
    # Whether this answer came from the cache.
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } else if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
