package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The lending rules of {@link Workspace}: within a scope, across scopes, outside, and across threads. */
class WorkspaceTest {

  @Test
  void outsideAScopeEveryArrayIsNew() {
    double[] a = Workspace.array(8);
    double[] b = Workspace.array(8);
    assertThat(a).hasSize(8).isNotSameAs(b);
  }

  @Test
  void withinAScopeArraysAreDistinctAndTheNextScopeGetsThemBack() {
    Workspace w = new Workspace();
    double[] a;
    double[] b;
    double[] c;
    Workspace.Scope scope1 = w.enter();
    try (scope1) {
      a = Workspace.array(676);
      b = Workspace.array(676);
      c = Workspace.array(9);
      assertThat(a).isNotSameAs(b);
      assertThat(w.lentCount()).isEqualTo(3);
    }
    Workspace.Scope scope2 = w.enter();
    try (scope2) {
      // the same arrays again (last returned first), each lent once, by length (identity, not contents)
      double[] first = Workspace.array(676);
      double[] second = Workspace.array(676);
      assertThat(first == a || first == b).isTrue();
      assertThat(second == a || second == b).isTrue();
      assertThat(second).isNotSameAs(first);
      assertThat(Workspace.array(9)).isSameAs(c);
      double[] more = Workspace.array(676); // more than the last scope lent: a new one
      assertThat(more != a && more != b).isTrue();
    }
    double[] after = Workspace.array(676); // closed: no longer lending
    assertThat(after != a && after != b).isTrue();
  }

  @Test
  void scopesDoNotNestOnAThreadButCloseTwiceHarmlessly() {
    Workspace w = new Workspace();
    Workspace.Scope s = w.enter();
    assertThatThrownBy(w::enter).isInstanceOf(IllegalStateException.class).hasMessageContaining("do not nest");
    assertThatThrownBy(() -> new Workspace().enter()).isInstanceOf(IllegalStateException.class);
    s.close();
    s.close();
    w.enter().close(); // usable again
  }

  @Test
  void anotherThreadIsNotLentFromThisThreadsScope() throws Exception {
    Workspace w = new Workspace();
    Workspace.Scope scope3 = w.enter();
    try (scope3) {
      Workspace.array(16);
      CompletableFuture.supplyAsync(() -> Workspace.array(16)).get();
      assertThat(w.lentCount()).isEqualTo(1);
    }
  }
}
