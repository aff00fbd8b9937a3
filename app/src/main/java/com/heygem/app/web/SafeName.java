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
     * A user-given label (a batch's name) made harmless like a file name, without cutting it at
     * slashes; null for nothing left.
     */
    static String text(String given, int max) {
        if (given == null) {
            return null;
        }
        String s = given.replaceAll(UNSAFE, " ").replaceAll("\\s+", " ").trim();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max).trim();
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
