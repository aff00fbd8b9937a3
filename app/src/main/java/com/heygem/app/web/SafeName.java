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

    /** ".mp4" and the like, lower case; empty when the name has no sensible one. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return "";
        }
        String ext = name.substring(dot).toLowerCase(java.util.Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : "";
    }
}
