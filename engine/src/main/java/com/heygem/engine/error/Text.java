package com.heygem.engine.error;

/**
 * A detail of an error message said in both languages, so the Chinese message never carries an
 * English fragment. Plain arguments (file names, numbers) are the same in both.
 */
public record Text(String en, String zh) {
    /** "video" / "audio" as a stream kind. */
    public static Text kind(String kind) {
        return "video".equals(kind) ? new Text("video", "视频") : "audio".equals(kind) ? new Text("audio", "音频")
                : new Text(kind, kind);
    }

    @Override
    public String toString() {
        return en;
    }
}
