package com.heygem.app.web;

/** User-given names made harmless: no path, no markup, no control characters, bounded length. */
final class SafeName {
    private SafeName() {
    }

    /**
     * Markup, control characters, and the invisible marks that change the direction of text
     * (U+202E makes {@code exe.mp4} look like {@code 4pm.exe}): never part of a name.
     */
    private static final String UNSAFE = "[<>\"'&\\p{Cntrl}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]+";

    /**
     * A user-given label (a batch's name) as its owner wrote it, slashes, quotes and ampersands
     * included, angle brackets as look-alikes, without control characters or direction marks; null
     * for nothing left.
     */
    static String text(String given, int max) {
        if (given == null) {
            return null;
        }
        String s = lookalikes(given.replaceAll(INVISIBLE, " ")).replaceAll("\\s+", " ").trim();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max).trim();
    }

    /** Control characters and direction marks: what a file's own name loses (markup stays, shown as text). */
    private static final String INVISIBLE = "[\\p{Cntrl}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]+";

    /**
     * An uploaded file's name as its owner gave it: any script, slashes, quotes and ampersands as
     * characters (the page shows names as text, downloads make them safe with {@code
     * DownloadNames}), angle brackets as look-alikes; control characters, direction marks and
     * leading dots or slashes go, and a Windows path (old browsers send one) is cut to its last
     * part. At most {@code max} characters, the extension kept.
     */
    static String fileName(String given, int max) {
        if (given == null) {
            return "file";
        }
        String base = given;
        if (base.matches("(?s)^([A-Za-z]:\\\\|\\\\\\\\).*")) {
            base = base.substring(base.lastIndexOf('\\') + 1);
        }
        String s = lookalikes(base.replaceAll(INVISIBLE, " ")).replaceAll("\\s+", " ").replaceAll("^[./\\s]+", "").trim();
        if (s.isEmpty()) {
            return "file";
        }
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        int keep = Math.max(1, max - ext.length());
        return stem.substring(0, stem.offsetByCodePoints(0, Math.min(keep, stem.codePointCount(0, stem.length())))) + ext;
    }

    /**
     * Angle brackets as their full-width look-alikes: a name reads as typed, yet carries no markup
     * to whatever else shows it (a webhook's receiver, a log viewer), whatever its care.
     */
    private static String lookalikes(String s) {
        return s.replace('<', '\uFF1C').replace('>', '\uFF1E');
    }

    /** Characters kept by {@link #of(String)}: enough to recognise a name in a message. */
    static final int DEFAULT_MAX = 120;

    static String of(String name) {
        return of(name, DEFAULT_MAX);
    }

    /** @param max characters kept; a longer name loses the end of its stem, never its extension */
    static String of(String name, int max) {
        if (name == null) {
            return "file";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String s = base.replaceAll(UNSAFE, "_").replaceAll("^[.\\s]+", "").trim();
        if (s.isEmpty()) {
            return "file";
        }
        if (s.length() <= max) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
        return s.substring(0, Math.max(1, max - ext.length())) + ext;
    }
}
