package dev.natter.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeliveryBatchTest {
  @Test
  void flushesRunAfterTheDeliveriesInTheOrderTheyWereRegistered() {
    List<String> log = new ArrayList<>();

    DeliveryBatch.run(
        () -> {
          DeliveryBatch.current().atEnd(() -> log.add("flush a"));
          log.add("deliver 1");
          DeliveryBatch.current().atEnd(() -> log.add("flush b"));
          log.add("deliver 2");
        });

    assertThat(log).containsExactly("deliver 1", "deliver 2", "flush a", "flush b");
    assertThat(DeliveryBatch.current()).isNull();
  }

  @Test
  void anInnerRunJoinsTheOuterBatch() {
    List<String> log = new ArrayList<>();

    DeliveryBatch.run(
        () -> {
          DeliveryBatch outer = DeliveryBatch.current();
          DeliveryBatch.run(
              () -> {
                assertThat(DeliveryBatch.current()).isSameAs(outer);
                outer.atEnd(() -> log.add("flush"));
              });
          log.add("inner over");
        });

    assertThat(log).containsExactly("inner over", "flush");
  }

  @Test
  void flushesRunWhenTheDeliveriesThrowAndAFailingFlushDoesNotStopTheOthers() {
    List<String> log = new ArrayList<>();

    assertThatThrownBy(
            () ->
                DeliveryBatch.run(
                    () -> {
                      DeliveryBatch.current().atEnd(() -> log.add("flush a"));
                      throw new IllegalStateException("delivery failed");
                    }))
        .hasMessage("delivery failed");
    assertThat(log).containsExactly("flush a");

    assertThatThrownBy(
            () ->
                DeliveryBatch.run(
                    () -> {
                      DeliveryBatch.current()
                          .atEnd(
                              () -> {
                                throw new IllegalStateException("flush failed");
                              });
                      DeliveryBatch.current().atEnd(() -> log.add("flush b"));
                    }))
        .hasMessage("flush failed");
    assertThat(log).containsExactly("flush a", "flush b");
    assertThat(DeliveryBatch.current()).isNull();
  }

  @Test
  void aBatchBelongsToItsThread() throws Exception {
    DeliveryBatch.run(
        () -> assertThat(CompletableFuture.supplyAsync(DeliveryBatch::current).join()).isNull());
  }
}
