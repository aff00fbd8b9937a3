package com.heygem.app.web;

/** User-given names made harmless: no path, no markup, no control characters, bounded length. */
final class SafeName {
    private SafeName() {
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
        String s = base.replaceAll("[<>\"'&\\p{Cntrl}]+", "_").replaceAll("^[.\\s]+", "").trim();
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
