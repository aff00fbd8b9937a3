package com.heygem.app.store;

import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import java.nio.file.Path;
import java.util.Locale;

/** Names for files HeyGem writes (results, ZIP entries) made from names users gave. */
public final class FileNames {
    private FileNames() {
    }

    /** A file name's stem, reduced to characters safe in any file system and URL. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String s = dot > 0 ? fileName.substring(0, dot) : fileName;
        s = s.replaceAll("[^\\p{L}\\p{N}._-]+", "_").replaceAll("^[._]+", "");
        return s.isEmpty() ? "video" : s.substring(0, Math.min(80, s.length()));
    }

    /** {@link #stem} plus the name's {@link #extension}. */
    public static String safe(String fileName) {
        return stem(fileName) + extension(fileName);
    }

    /** ".mp4" and the like, lower case; empty when the name has no plain one. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot > 0 ? fileName.substring(dot).toLowerCase(Locale.ROOT) : "";
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : "";
    }

    /**
     * {@code e} with every mention of a file HeyGem keeps under its own name (an upload's
     * temporary file, or its content-hash name) replaced by the name the user gave it.
     */
    public static HeyGemException asTheirs(HeyGemException e, Path kept, String name) {
        Object[] args = e.args();
        boolean changed = false;
        for (int k = 0; k < args.length; k++) {
            Object own = args[k] instanceof Text t ? new Text(theirs(t.en(), kept, name), theirs(t.zh(), kept, name))
                    : theirs(String.valueOf(args[k]), kept, name);
            if (!own.equals(args[k] instanceof Text ? args[k] : String.valueOf(args[k]))) {
                args[k] = own;
                changed = true;
            }
        }
        return changed ? new HeyGemException(e.code(), e.getCause(), args) : e;
    }

    private static String theirs(String text, Path kept, String name) {
        return text.replace(kept.toAbsolutePath().toString(), name).replace(kept.toString(), name)
                .replace(kept.getFileName().toString(), name);
    }
}
