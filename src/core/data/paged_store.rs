//! Fixed-size rows (an image's pixels, or its backbone features) stored in
//! pages of about 1 MiB. One growing buffer would be reallocated again and
//! again as images arrive, and in wasm the memory it leaves behind is never
//! returned: 10,000 RGB 32×32 images took three times their size in heap.
//! Pages are allocated once and never moved.

const PAGE_BYTES: usize = 1 << 20;

/// Rows of `dim` values of `T`.
#[derive(Debug, Clone, Default)]
pub struct PagedStore<T> {
    dim: usize,
    per_page: usize,
    len: usize,
    pages: Vec<Vec<T>>,
}

/// Each image's pixels, `u8`.
pub type PixelStore = PagedStore<u8>;
/// Each image's backbone features, `f32`.
pub type FeatureStore = PagedStore<f32>;

impl<T: Copy> PagedStore<T> {
    /// A store for rows of `dim` values each.
    pub fn new(dim: usize) -> Self {
        let row_bytes = dim.max(1) * std::mem::size_of::<T>().max(1);
        PagedStore {
            dim,
            per_page: (PAGE_BYTES / row_bytes).max(1),
            len: 0,
            pages: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn get(&self, index: usize) -> &[T] {
        let (p, o) = (index / self.per_page, index % self.per_page);
        &self.pages[p][o * self.dim..(o + 1) * self.dim]
    }

    /// Appends one row (`image.len()` must equal the store's `dim`).
    pub fn push(&mut self, image: &[T]) {
        debug_assert_eq!(image.len(), self.dim);
        if self.len / self.per_page == self.pages.len() {
            self.pages
                .push(Vec::with_capacity(self.per_page * self.dim));
        }
        let p = self.len / self.per_page;
        self.pages[p].extend_from_slice(image);
        self.len += 1;
    }

    /// Removes image `index`, moving the later ones down by one slot.
    pub fn remove(&mut self, index: usize) {
        let keep: Vec<bool> = (0..self.len).map(|i| i != index).collect();
        self.retain(&keep);
    }

    /// Keeps the images whose flag is true, in order, in one pass.
    pub fn retain(&mut self, keep: &[bool]) {
        let mut kept = 0;
        let kept_indices: Vec<usize> = (0..self.len).filter(|&i| keep[i]).collect();
        for i in kept_indices {
            if i != kept {
                self.copy_slot(i, kept);
            }
            kept += 1;
        }
        self.truncate(kept);
    }

    /// Copies image `from` over image `to` (to < from).
    fn copy_slot(&mut self, from: usize, to: usize) {
        let d = self.dim;
        let (pf, of) = (from / self.per_page, from % self.per_page);
        let (pt, ot) = (to / self.per_page, to % self.per_page);
        if pf == pt {
            self.pages[pf].copy_within(of * d..(of + 1) * d, ot * d);
        } else {
            let (low, high) = self.pages.split_at_mut(pf);
            low[pt][ot * d..(ot + 1) * d].copy_from_slice(&high[0][of * d..(of + 1) * d]);
        }
    }

    fn truncate(&mut self, len: usize) {
        self.len = len;
        let pages = len.div_ceil(self.per_page);
        self.pages.truncate(pages);
        if let Some(last) = self.pages.last_mut() {
            last.truncate((len - (pages - 1) * self.per_page) * self.dim);
        }
    }

    /// Bytes held (capacity of all pages).
    pub fn heap_bytes(&self) -> usize {
        self.pages.iter().map(Vec::capacity).sum::<usize>() * std::mem::size_of::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_images_in_order_across_removals() {
        let dim = 300_000; // 3 images per page
        let mut s = PixelStore::new(dim);
        for v in 0..10u8 {
            s.push(&vec![v; dim]);
        }
        assert_eq!(s.len(), 10);
        assert_eq!(s.pages.len(), 4);
        s.remove(2);
        s.remove(0);
        let firsts: Vec<u8> = (0..s.len()).map(|i| s.get(i)[0]).collect();
        assert_eq!(firsts, vec![1, 3, 4, 5, 6, 7, 8, 9]);
        assert!(s.get(7).iter().all(|&b| b == 9));
        let keep: Vec<bool> = (0..8).map(|i| i % 2 == 1).collect();
        s.retain(&keep);
        let firsts: Vec<u8> = (0..s.len()).map(|i| s.get(i)[0]).collect();
        assert_eq!(firsts, vec![3, 5, 7, 9]);
        assert_eq!(s.pages.len(), 2);
        while !s.is_empty() {
            s.remove(s.len() - 1);
        }
        assert!(s.pages.is_empty());
        s.push(&vec![42; dim]);
        assert_eq!(s.get(0)[0], 42);
    }

    #[test]
    fn memory_stays_near_the_data() {
        let dim = 32 * 32 * 3;
        let mut s = PixelStore::new(dim);
        for i in 0..10_000 {
            s.push(&vec![(i % 251) as u8; dim]);
        }
        let data = 10_000 * dim;
        assert!(
            s.heap_bytes() < data + PAGE_BYTES,
            "{} for {data}",
            s.heap_bytes()
        );
    }
}
