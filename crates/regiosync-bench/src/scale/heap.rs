//! Live heap bytes per thread tag: a global allocator that stamps each allocation with the tag
//! of the thread that made it, so memory freed elsewhere (an item made by a national node's
//! stream, dropped by the member that received it) is taken off the account that made it.
//!
//! Only the `regiosync-bench-scale` binary installs it (`#[global_allocator]`); the other
//! benchmarks keep the system allocator untouched. Each allocation carries a header of
//! `max(16, align)` bytes in front; the accounts count what was asked for, not the header.
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// How many tags there are; tag 0 is every thread not given another.
pub const TAGS: usize = 8;

#[repr(align(64))]
struct Account(AtomicI64);

static LIVE: [Account; TAGS] = [const { Account(AtomicI64::new(0)) }; TAGS];
static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static TAG: Cell<u8> = const { Cell::new(0) };
}

/// Charge what this thread allocates from now on to `tag` (below [`TAGS`]).
pub fn set_tag(tag: u8) {
    assert!((tag as usize) < TAGS, "heap tag {tag} out of range");
    TAG.with(|t| t.set(tag));
}

/// Live bytes allocated by threads of `tag` and not yet freed; `None` when the allocator is
/// not installed in this binary.
pub fn live(tag: u8) -> Option<i64> {
    INSTALLED
        .load(Ordering::Relaxed)
        .then(|| LIVE[tag as usize].0.load(Ordering::Relaxed))
}

/// The system allocator, with each allocation charged to its thread's tag.
pub struct Tagged;

fn header(layout: Layout) -> usize {
    layout.align().max(16)
}

fn with_header(layout: Layout) -> Option<Layout> {
    Layout::from_size_align(layout.size().checked_add(header(layout))?, header(layout)).ok()
}

fn current() -> u8 {
    // During a thread's teardown the slot may be gone: charge tag 0.
    TAG.try_with(|t| t.get()).unwrap_or(0)
}

// SAFETY: every block comes from `System` with a header of `header(layout)` bytes in front,
// whose last byte is the tag; dealloc and realloc find the block's start from the same layout.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Tagged {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(full) = with_header(layout) else {
            return std::ptr::null_mut();
        };
        let base = System.alloc(full);
        if base.is_null() {
            return base;
        }
        let tag = current();
        INSTALLED.store(true, Ordering::Relaxed);
        LIVE[tag as usize].0.fetch_add(layout.size() as i64, Ordering::Relaxed);
        let user = base.add(header(layout));
        user.sub(1).write(tag);
        user
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let tag = ptr.sub(1).read();
        LIVE[tag as usize].0.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        let full = with_header(layout).expect("its allocation had a header");
        System.dealloc(ptr.sub(header(layout)), full);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let tag = ptr.sub(1).read();
        let full = with_header(layout).expect("its allocation had a header");
        let Some(new_full) = new_size.checked_add(header(layout)) else {
            return std::ptr::null_mut();
        };
        let base = System.realloc(ptr.sub(header(layout)), full, new_full);
        if base.is_null() {
            return base;
        }
        // The block stays charged to the tag that first allocated it.
        LIVE[tag as usize]
            .0
            .fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        base.add(header(layout))
    }
}
