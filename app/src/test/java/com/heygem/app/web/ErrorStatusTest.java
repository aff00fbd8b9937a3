package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.error.ErrorCode;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {
    @Test
    void everyErrorCodeHasItsStatusInTheTable() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorStatus.listed(code)).as(code.name()).isTrue();
            assertThat(ErrorStatus.of(code)).as(code.name()).isBetween(400, 599);
        }
        // The tester's findings: a file over the length limit and a damaged one are not "not media".
        assertThat(ErrorStatus.of(ErrorCode.TOO_LONG)).isEqualTo(422);
        assertThat(ErrorStatus.of(ErrorCode.CORRUPT_MEDIA)).isEqualTo(422);
        assertThat(ErrorStatus.of(ErrorCode.NOT_MEDIA)).isEqualTo(415);
        assertThat(ErrorStatus.of(ErrorCode.INVALID_STATE)).isEqualTo(409);
    }
}
