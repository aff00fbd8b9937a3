package com.heygem.app.store;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a downloaded result is called: {@code <batch name> - <presenter>.mp4} and {@code <batch
 * name>.zip}, in the user's own words, so results of different batches never collide in a
 * Downloads folder and a name says what is in the file. Made safe for every system without
 * changing how it reads: the characters Windows forbids become their full-width look-alikes
 * ({@code /} → {@code ／}, {@code :} → {@code ：}), control characters go, and names Windows keeps
 * for devices get a mark.
 */
public final class DownloadNames {
    /** Characters of a name before its extension: well within every system's limit, also in UTF-8. */
    static final int MAX = 120;
    private static final String FORBIDDEN = "/\\:*?\"<>|";
    private static final String LOOKALIKE = "／＼：＊？＂＜＞｜";
    private static final Set<String> DEVICES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5",
            "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private DownloadNames() {
    }

    /** {@code text} as a file name's stem any system accepts, reading as it did; "HeyGem" for nothing. */
    public static String stem(String text) {
        StringBuilder b = new StringBuilder();
        String s = text == null ? "" : text;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int k = cp < 128 ? FORBIDDEN.indexOf(cp) : -1;
            if (k >= 0) {
                b.append(LOOKALIKE.charAt(k));
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                b.append(' ');
            } else {
                b.appendCodePoint(cp);
            }
        }
        // Windows drops trailing dots and spaces; leading dots hide a file elsewhere.
        String out = b.toString().replaceAll("\\s+", " ").replaceAll("^[.\\s]+|[.\\s]+$", "");
        if (out.codePointCount(0, out.length()) > MAX) {
            out = out.substring(0, out.offsetByCodePoints(0, MAX)).replaceAll("[.\\s]+$", "");
        }
        if (out.isEmpty()) {
            return "HeyGem";
        }
        String bare = out.contains(".") ? out.substring(0, out.indexOf('.')) : out;
        return DEVICES.contains(bare.toLowerCase(Locale.ROOT)) ? "_" + out : out;
    }

    /** What a batch is called in downloads: its name, else its speech's name without the extension. */
    public static String batchLabel(String batchName, String audioName) {
        if (batchName != null && !batchName.isBlank()) {
            return batchName;
        }
        return audioName == null ? "HeyGem" : withoutExtension(audioName);
    }

    /** {@code <batch name>.zip} */
    public static String zip(String batchLabel) {
        return stem(batchLabel) + ".zip";
    }

    /**
     * Each item's download name, {@code <batch name> - <presenter>.mp4}, unique within the batch (the
     * same presenter twice: "… (2).mp4"), in the items' order: a single download and the ZIP agree.
     *
     * @return item id to file name
     */
    public static Map<String, String> results(String batchLabel, List<BatchStore.Item> items) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        String label = stem(batchLabel);
        for (BatchStore.Item i : items) {
            String base = stem(label + " - " + withoutExtension(i.templateName()));
            String name = base + ".mp4";
            for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = base + " (" + n + ").mp4";
            }
            out.put(i.id(), name);
        }
        return out;
    }

    private static String withoutExtension(String name) {
        String ext = FileNames.extension(name);
        return ext.isEmpty() ? name : name.substring(0, name.length() - ext.length());
    }
}
