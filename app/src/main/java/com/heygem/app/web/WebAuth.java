package com.heygem.app.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may use the API: a request with {@code Authorization: Bearer <token>}, or a browser holding
 * the session cookie it got by opening {@code /?token=…} (or by typing the token into the page).
 * The cookie is derived from the token (an HMAC), so it survives restarts and dies with the
 * token; it is HttpOnly and SameSite=Strict, so other sites can neither read nor use it.
 */
final class WebAuth {
    static final String COOKIE = "heygem_session";
    private final AccessToken token;
    private final boolean enabled;
    private final String session;

    WebAuth(AccessToken token, boolean enabled) {
        this.token = token;
        this.enabled = enabled;
        this.session = hmac(token.value(), "heygem-browser-session");
    }

    boolean enabled() {
        return enabled;
    }

    boolean accepts(Context ctx) {
        if (!enabled || token.accepts(ctx.header("Authorization"))) {
            return true;
        }
        String c = ctx.cookie(COOKIE);
        return c != null && MessageDigest.isEqual(c.getBytes(StandardCharsets.UTF_8),
                session.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code given} is the access token itself. */
    boolean isToken(String given) {
        return given != null && token.accepts("Bearer " + given);
    }

    void startSession(Context ctx) {
        Cookie c = new Cookie(COOKIE, session);
        c.setHttpOnly(true);
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        c.setMaxAge(60 * 60 * 24 * 365);
        ctx.cookie(c);
    }

    void endSession(Context ctx) {
        ctx.removeCookie(COOKIE, "/");
    }

    private static String hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
