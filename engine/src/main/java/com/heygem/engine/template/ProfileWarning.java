package com.heygem.engine.template;

/**
 * Something about a template a user can act on before rendering hundreds of copies, in English
 * and Chinese. The name is a stable code for the API and UI.
 */
public enum ProfileWarning {
    SMALL_FACE(
            "The face is small (%.0f px); the mouth will look soft. Use a closer shot, with the face at least 100 px wide.",
            "人脸较小（%.0f 像素），嘴部会显得模糊。请使用更近的镜头，人脸宽度至少 100 像素。"),
    FACE_OFTEN_MISSING(
            "No face in %.1f%% of the frames; those frames keep their original mouth.",
            "%.1f%% 的画面中没有检测到人脸，这些画面将保持原样。"),
    SEVERAL_FACES(
            "%d faces are in view; only the largest, most central one is lip-synced.",
            "画面中有 %d 张人脸，只会对最大、最居中的一张进行口型同步。"),
    LARGE_HEAD_TURNS(
            "The head turns far to the side in %.1f%% of the frames; lip sync is weaker there. Prefer footage facing the camera.",
            "%.1f%% 的画面中头部明显侧转，这些画面的口型效果较弱。建议使用正对镜头的素材。"),
    FEW_MOUTH_SHAPES(
            "The mouth barely opens in this template, so wide-open speech sounds will look muted. A template where the presenter speaks works best.",
            "模板中嘴部几乎不张开，大开口的发音会显得不明显。建议使用人物在说话的模板。"),
    MOUTH_COVERED(
            "The mouth is covered or unclear in %.1f%% of the frames (first at %.1f s); those frames keep their original mouth. Use footage where nothing passes in front of the mouth.",
            "%.1f%% 的画面中嘴部被遮挡或不清晰（首次出现在 %.1f 秒），这些画面将保持原样。请使用嘴部前方没有遮挡的素材。");

    private final String en;
    private final String zh;

    ProfileWarning(String en, String zh) {
        this.en = en;
        this.zh = zh;
    }

    public String messageEn(Object... args) {
        return String.format(java.util.Locale.ROOT, en, args);
    }

    public String messageZh(Object... args) {
        return String.format(java.util.Locale.ROOT, zh, args);
    }
}
