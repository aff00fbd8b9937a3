package com.heygem.engine.error;

/**
 * Every failure a user can cause, with the message shown to them in English and Chinese.
 *
 * <p>The name is the stable code the API and UI translate; never rename one. Message templates
 * use {@link String#format} placeholders filled from {@link HeyGemException#args()}. Each message
 * says what happened, and {@link #hintEn()}/{@link #hintZh()} say what to do about it.
 */
public enum ErrorCode {
    FILE_NOT_FOUND(
            "File not found: %s",
            "找不到文件：%s",
            "Check the path and that the file is readable.",
            "请检查路径是否正确、文件是否可读。"),
    NOT_MEDIA(
            "Not an audio or video file: %s (%s)",
            "不是音频或视频文件：%s（%s）",
            "Use a common format such as MP4, MOV, MKV, WebM, FLV, AVI, TS, WAV, MP3, M4A or FLAC.",
            "请使用常见格式，例如 MP4、MOV、MKV、WebM、FLV、AVI、TS、WAV、MP3、M4A 或 FLAC。"),
    NO_VIDEO_STREAM(
            "The file has no video picture: %s",
            "文件中没有视频画面：%s",
            "A template must be a video of the presenter; audio-only files cannot be templates.",
            "模板必须是包含人物画面的视频，纯音频文件不能作为模板。"),
    NO_AUDIO_STREAM(
            "The file has no sound track: %s",
            "文件中没有音轨：%s",
            "Upload the speech as an audio file, or a video whose sound track contains it.",
            "请上传包含语音的音频文件，或带有语音音轨的视频。"),
    UNSUPPORTED_CODEC(
            "The %s codec '%s' in %s cannot be decoded",
            "无法解码 %s 编码“%s”（文件：%s）",
            "Convert the file to H.264/AAC MP4 (any video editor can export it) and upload it again.",
            "请先将文件转换为 H.264/AAC 的 MP4（常见剪辑软件均可导出）后重新上传。"),
    CORRUPT_MEDIA(
            "The file is damaged or incomplete: %s (%s)",
            "文件已损坏或不完整：%1$s",
            "The upload or copy may have been cut off; copy the original file again.",
            "上传或复制可能中断了，请重新复制原始文件。"),
    TOO_LONG(
            "%s lasts %s, longer than the limit of %s",
            "%s 时长 %s，超过上限 %s",
            "Cut the file shorter, or raise the limit (setting media.maxDurationSeconds).",
            "请剪短文件，或调高上限（配置项 media.maxDurationSeconds）。"),
    TOO_LARGE(
            "%s is %s, larger than the limit of %s",
            "%s 大小为 %s，超过上限 %s",
            "Compress the file, or raise the limit (setting media.maxFileBytes).",
            "请压缩文件，或调高上限（配置项 media.maxFileBytes）。"),
    MEDIA_TIMEOUT(
            "Reading %s took longer than %s seconds and was stopped",
            "读取 %s 超过 %s 秒，已停止",
            "The file may be damaged or on a stalled network drive; copy it to a local disk and retry.",
            "文件可能已损坏或位于无响应的网络盘，请复制到本地磁盘后重试。"),
    WRITE_FAILED(
            "Could not write the result %s (%s)",
            "无法写入结果文件 %s（%s）",
            "Check that the output folder exists, is writable and that the disk is not full.",
            "请检查输出目录是否存在、可写，以及磁盘空间是否充足。"),
    INVALID_ARGUMENT(
            "Invalid value for %s: %s",
            "参数 %s 的值无效：%s",
            "See 'heygem --help' or docs/configuration.md for the allowed values.",
            "允许的取值见 'heygem --help' 或 docs/configuration.md。"),
    MODEL_MISSING(
            "The face landmark model is missing: %s",
            "缺少人脸关键点模型：%s",
            "Install the Debian package libdlib-data (apt-get install libdlib-data), or set face.modelPath.",
            "请安装 Debian 软件包 libdlib-data（apt-get install libdlib-data），或设置配置项 face.modelPath。"),
    MODEL_INVALID(
            "The face landmark model %s cannot be read (%s)",
            "无法读取人脸关键点模型 %s（%s）",
            "Reinstall the Debian package libdlib-data, or point face.modelPath at dlib's shape_predictor_68_face_landmarks.dat.",
            "请重新安装 Debian 软件包 libdlib-data，或将配置项 face.modelPath 指向 dlib 的 shape_predictor_68_face_landmarks.dat。"),
    FACE_TOO_RARE(
            "A face was found in only %2$s%% of the frames of %1$s: it does not look like a presenter facing the camera",
            "%1$s 中只有 %2$s%% 的画面检测到人脸，看起来不是正对镜头的人物视频",
            "Use a template where the presenter's face is visible, facing the camera, throughout the video.",
            "请使用人物面部始终可见、正对镜头的模板。"),
    NO_FACE(
            "No face was found in %s",
            "在 %s 中没有找到人脸",
            "Use a template where the presenter faces the camera, with the face at least 100 pixels wide and well lit.",
            "请使用人物正对镜头的模板，人脸宽度至少 100 像素且光线充足。"),
    ITEM_TIMEOUT(
            "%s took longer than its limit of %s seconds and was stopped",
            "%s 超过时限 %s 秒，已停止",
            "Retry it; if it happens again, raise item.timeoutFactor or item.minTimeoutSeconds, or use a shorter template or audio.",
            "请重试；若仍超时，请调高配置项 item.timeoutFactor 或 item.minTimeoutSeconds，或使用更短的模板或音频。"),
    SOURCE_UNSUPPORTED(
            "%s is not an address HeyGem can pull from (%s)",
            "无法从 %s 拉取（%s）",
            "Use an http(s):// address of a file, an HLS (.m3u8) or DASH (.mpd) playlist, or an rtmp(s):// stream.",
            "请使用 http(s):// 文件地址、HLS（.m3u8）或 DASH（.mpd）播放列表，或 rtmp(s):// 直播流地址。"),
    SOURCE_UNREACHABLE(
            "%s cannot be reached (%s)",
            "无法连接 %s（%s）",
            "Check the address and that the source is up. Addresses on the server's own network are not reached"
                    + " unless an administrator allows them (setting import.allowHosts).",
            "请检查地址是否正确、来源是否在线。服务器所在内部网络中的地址须由管理员放行（配置项 import.allowHosts）后才能访问。"),
    SOURCE_NOT_FOUND(
            "%s does not exist at its source (HTTP 404)",
            "来源处不存在 %s（HTTP 404）",
            "Check the address; a live stream may have ended.",
            "请检查地址；直播可能已经结束。"),
    SOURCE_DENIED(
            "The source of %s refused access (HTTP %s)",
            "%s 的来源拒绝访问（HTTP %s）",
            "The source needs a sign-in; use an address that opens without one, such as a signed link.",
            "该来源需要登录；请使用无需登录即可打开的地址，例如带签名的链接。"),
    SOURCE_STALLED(
            "%s sent nothing for %s seconds",
            "%s 已有 %s 秒没有发送数据",
            "The source stopped sending; try again when it is live.",
            "来源停止了发送；请在它恢复后重试。"),
    INVALID_STATE(
            "%s is %s; it cannot become %s",
            "%s 当前状态为 %s，不能变为 %s",
            "Only queued or running items can be cancelled, and only failed or cancelled ones retried; reload to see the current state.",
            "只有排队中或运行中的任务可以取消，只有失败或已取消的任务可以重试；请刷新查看当前状态。");

    private final String en;
    private final String zh;
    private final String hintEn;
    private final String hintZh;

    ErrorCode(String en, String zh, String hintEn, String hintZh) {
        this.en = en;
        this.zh = zh;
        this.hintEn = hintEn;
        this.hintZh = hintZh;
    }

    public String templateEn() {
        return en;
    }

    public String templateZh() {
        return zh;
    }

    public String hintEn() {
        return hintEn;
    }

    public String hintZh() {
        return hintZh;
    }
}
