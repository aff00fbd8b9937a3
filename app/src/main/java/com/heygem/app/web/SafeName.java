package com.heygem.app.web;

/** User-given names made harmless: no path, no markup, no control characters, bounded length. */
final class SafeName {
    private SafeName() {
    }

    static String of(String name) {
        if (name == null) {
            return "file";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String s = base.replaceAll("[<>\"'&\\p{Cntrl}]+", "_").replaceAll("^[.\\s]+", "").trim();
        if (s.isEmpty()) {
            return "file";
        }
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
