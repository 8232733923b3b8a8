package org.adminconsole.service.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Users view's paging bookkeeping: page numbers, anchors, and answers to superseded queries dropped. */
class UserPagingTest {

    static UserPage page(long firstId, long lastId, boolean prev, boolean next) {
        return new UserPage(List.of(), prev, next, new UserPage.Key("a", firstId), new UserPage.Key("z", lastId));
    }

    @Test
    void nextAndPreviousUseTheShownPagesKeysAndCountPages() {
        UserPaging p = new UserPaging(50);
        UserPaging.Request first = p.first();
        assertThat(p.accept(first, page(1, 50, false, true))).isTrue();
        assertThat(p.pageLabel()).isEqualTo("Page 1");
        UserPaging.Request next = p.next();
        assertThat(next.nav()).isEqualTo(UserPage.Nav.NEXT);
        assertThat(next.anchor()).isEqualTo(new UserPage.Key("z", 50));
        assertThat(next.number()).isEqualTo(2);
        p.accept(next, page(51, 100, true, true));
        UserPaging.Request prev = p.previous();
        assertThat(prev.anchor()).isEqualTo(new UserPage.Key("a", 51));
        assertThat(prev.number()).isEqualTo(1);
        assertThat(p.current()).isEqualTo(next);
    }

    @Test
    void lastPageNumberIsKnownOnlyFromAnExactTotal() {
        UserPaging p = new UserPaging(50);
        assertThat(p.last().number()).isEqualTo(-1);
        p.acceptTotal(p.query(), new UserTotal(1000, false, true));
        assertThat(p.last().number()).isEqualTo(-1);
        p.acceptTotal(p.query(), new UserTotal(101, true, false));
        assertThat(p.last().number()).isEqualTo(3);
        UserPaging.Request last = p.last();
        p.accept(last, page(101, 101, true, false));
        assertThat(p.pageLabel()).isEqualTo("Page 3");
        p.setQuery(p.query().withSearch("x"));
        assertThat(p.total()).isNull();
        assertThat(p.last().number()).isEqualTo(-1);
    }

    @Test
    void answersToASupersededQueryAreDropped() {
        UserPaging p = new UserPaging(50);
        UserPaging.Request old = p.first();
        UserQuery oldQuery = p.query();
        assertThat(p.setQuery(p.query().withSearch("bob"))).isTrue();
        assertThat(p.setQuery(p.query().withSearch("bob"))).isFalse();
        assertThat(p.accept(old, page(1, 2, false, false))).isFalse();
        assertThat(p.acceptTotal(oldQuery, new UserTotal(5, true, false))).isFalse();
        assertThat(p.page()).isNull();
        assertThat(p.current().query().search()).isEqualTo("bob");
    }
}
