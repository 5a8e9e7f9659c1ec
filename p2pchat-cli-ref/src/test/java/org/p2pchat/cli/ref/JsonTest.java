package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void stringsAreEscapedSoAnyBodySurvives() {
    assertThat(Json.quote("a\"b\\c\nd\te\u0001f\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
    assertThat(Json.quote("héllo 👋")).isEqualTo("\"héllo 👋\"");
  }

  @Test
  void objectsListMembersInOrderAndEmptyCursorsAreNull() {
    assertThat(new Json().put("a", 1).put("b", "x").put("c", true).put("d", OptionalLong.empty()).toString())
        .isEqualTo("{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":null}");
  }
}
