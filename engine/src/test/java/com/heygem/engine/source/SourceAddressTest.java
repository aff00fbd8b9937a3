package com.heygem.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import org.junit.jupiter.api.Test;

class SourceAddressTest {
    @Test
    void addressesAreToldFromFileNamesAndNamedByWhatTheyHold() {
        assertThat(SourceAddress.looksLikeOne("https://cdn.example.com/a.mp3")).isTrue();
        assertThat(SourceAddress.looksLikeOne("RTMP://live.example.com/app/key")).isTrue();
        assertThat(SourceAddress.looksLikeOne("speech.wav")).isFalse();
        assertThat(SourceAddress.looksLikeOne("c:\\speech.wav")).isFalse();

        SourceAddress a = SourceAddress.parse("https://CDN.example.com/talks/Intro%20talk.mp4?sig=secret&exp=1");
        assertThat(a.host()).isEqualTo("cdn.example.com");
        assertThat(a.port()).isEqualTo(443);
        assertThat(a.fileName()).isEqualTo("Intro talk");
        assertThat(a.shown()).isEqualTo("https://CDN.example.com/talks/Intro%20talk.mp4?…").doesNotContain("secret");
        // A playlist's name says little: the host and folder name it.
        assertThat(SourceAddress.parse("http://live.example.com/channel7/index.m3u8").fileName())
                .isEqualTo("live.example.com-channel7-index");
        assertThat(SourceAddress.parse("rtmp://127.0.0.1/live").port()).isEqualTo(1935);
        assertThat(SourceAddress.parse("http://[::1]:8080/a.wav").host()).isEqualTo("::1");
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        for (String bad : new String[] {"file:///etc/passwd", "ftp://host/a.mp4", "http:///a.mp4", "http://a b/c",
                "concat:a.ts|b.ts", "https://user:pw@host/a.mp4", ""}) {
            assertThatThrownBy(() -> SourceAddress.parse(bad)).as(bad).isInstanceOfSatisfying(HeyGemException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
                assertThat(e.messageEn()).doesNotContain("pw@");
                assertThat(e.messageZh()).isNotBlank();
            });
        }
    }

    @Test
    void ffmpegsErrorsBecomeTheUsersWords() {
        SourceAddress a = SourceAddress.parse("http://example.com/live/speech.m3u8");
        assertThat(StreamPull.failure(a, "[https @ 0x55d] HTTP error 404 Not Found\n", 1).code())
                .isEqualTo(ErrorCode.SOURCE_NOT_FOUND);
        HeyGemException denied = StreamPull.failure(a, "Server returned 403 Forbidden (access denied)", 1);
        assertThat(denied.code()).isEqualTo(ErrorCode.SOURCE_DENIED);
        assertThat(denied.messageEn()).contains("403").contains("speech.m3u8");
        assertThat(StreamPull.failure(a, "Connection to tcp://example.com:80 failed: Connection refused", 1).code())
                .isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(StreamPull.failure(a, "Failed to resolve hostname example.com: Name or service not known", 1).code())
                .isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(StreamPull.failure(a, "Protocol 'file' not on whitelist 'http,https'!", 1).code())
                .isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        // ImportTest failed now and then: an address in FFmpeg's prefix held "404", and a 401 read as not found.
        HeyGemException unauthorised = StreamPull.failure(a, "[http @ 0x5604041e3c40] HTTP error 401 Unauthorized\n"
                + "[hls @ 0x56040404a400] Failed to open segment\n", 1);
        assertThat(unauthorised.code()).isEqualTo(ErrorCode.SOURCE_DENIED);
        assertThat(unauthorised.messageEn()).contains("401");
        assertThat(StreamPull.failure(a, "[tcp @ 0x7f4040400000] Connection to tcp://example.com:8404 failed: Connection"
                + " refused", 1).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        HeyGemException notMedia = StreamPull.failure(a, "[in#0 @ 0x55afc306d880] Invalid data found when processing input", 1);
        assertThat(notMedia.code()).isEqualTo(ErrorCode.NOT_MEDIA);
        assertThat(notMedia.messageEn()).contains("Invalid data").doesNotContain("0x55afc306d880");
        assertThat(notMedia.messageZh()).doesNotContain("Invalid data");
        // Text, or an ffconcat list (whose entries would bypass the checking proxy): not media, not a protocol error.
        assertThat(StreamPull.failure(a, "[concat @ 0x562b09fcbfc0] Format not on whitelist 'hls,mov'\n", 1).code())
                .isEqualTo(ErrorCode.NOT_MEDIA);
    }
}
