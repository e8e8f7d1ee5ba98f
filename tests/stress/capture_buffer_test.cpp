#include "stress/capture_buffer.h"

#include <string>

#include <gtest/gtest.h>

namespace raceaudit::stress {
namespace {

TEST(CaptureBuffer, KeepsEverythingBelowTheLimit) {
    CaptureBuffer b(8);
    b.append("abc");
    b.append("def");
    EXPECT_EQ(b.text(), "abcdef");
    EXPECT_EQ(b.total_bytes(), 6u);
    EXPECT_FALSE(b.truncated());
}

TEST(CaptureBuffer, HeadAndTailWithoutDrops) {
    CaptureBuffer b(4);
    b.append("0123456");  // 4 in the head, 3 in the tail
    EXPECT_EQ(b.head(), "0123");
    EXPECT_EQ(b.tail(), "456");
    EXPECT_FALSE(b.truncated());
    EXPECT_EQ(b.text(), "0123456");
}

TEST(CaptureBuffer, DropsTheMiddle) {
    CaptureBuffer b(4);
    b.append("0123");
    b.append("abcdefgh");
    b.append("XY");
    EXPECT_EQ(b.head(), "0123");
    EXPECT_EQ(b.tail(), "ghXY");
    EXPECT_EQ(b.total_bytes(), 14u);
    EXPECT_EQ(b.dropped_bytes(), 6u);
    EXPECT_EQ(b.text(), "0123\n[... 6 bytes omitted by raceaudit ...]\nghXY");
}

TEST(CaptureBuffer, ManySmallWritesWrapTheRing) {
    CaptureBuffer b(5);
    std::string all;
    for (int i = 0; i < 1000; ++i) {
        const std::string piece = std::to_string(i) + ",";
        all += piece;
        b.append(piece);
    }
    EXPECT_EQ(b.head(), all.substr(0, 5));
    EXPECT_EQ(b.tail(), all.substr(all.size() - 5));
    EXPECT_EQ(b.total_bytes(), all.size());
    EXPECT_EQ(b.kept_bytes(), 10u);
}

TEST(CaptureBuffer, OneHugeChunk) {
    CaptureBuffer b(3);
    b.append(std::string(1000, 'x') + "END");
    EXPECT_EQ(b.head(), "xxx");
    EXPECT_EQ(b.tail(), "END");
    EXPECT_EQ(b.dropped_bytes(), 997u);
}

}  // namespace
}  // namespace raceaudit::stress
