//! The Heart Rate Measurement characteristic (0x2A37) of the Bluetooth Heart Rate Service
//! (0x180D), as every standard chest strap sends it: a flags byte, the rate, optionally the
//! energy expended, then any number of beat-to-beat (RR) intervals in 1/1024 s. All fields are
//! little-endian. A payload that does not fit its flags is refused with a reason, never read
//! halfway.

/// Flags bit 0: the rate is a 16-bit value (else 8-bit).
const RATE_16_BIT: u8 = 1 << 0;
/// Flags bit 1: skin contact detected (meaningful only with bit 2).
const CONTACT_DETECTED: u8 = 1 << 1;
/// Flags bit 2: the strap can tell whether it touches the skin.
const CONTACT_SUPPORTED: u8 = 1 << 2;
/// Flags bit 3: a 16-bit energy expended field (kJ) follows the rate.
const ENERGY_PRESENT: u8 = 1 << 3;
/// Flags bit 4: RR intervals follow, each a 16-bit count of 1/1024 s.
const RR_PRESENT: u8 = 1 << 4;

/// Whether the strap feels the skin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contact {
    /// The strap cannot tell.
    Unknown,
    Touching,
    /// The strap says it has no contact: its numbers mean little until it has.
    NotTouching,
}

/// One notification of the Heart Rate Measurement characteristic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurement {
    /// Beats a minute, as the strap counts them.
    pub heart_rate: u16,
    pub contact: Contact,
    /// The RR intervals since the last notification, in 1/1024 s, oldest first. Empty when
    /// the strap sends none (some send the rate only, and a second can pass without a beat).
    pub rr_1024: Vec<u16>,
}

impl Measurement {
    /// The RR intervals in milliseconds.
    pub fn rr_millis(&self) -> impl Iterator<Item = f64> + '_ {
        self.rr_1024.iter().map(|&ticks| rr_1024_to_millis(ticks))
    }
}

pub fn rr_1024_to_millis(ticks: u16) -> f64 {
    f64::from(ticks) * 1000.0 / 1024.0
}

/// Why a payload was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MeasurementError {
    #[error("the measurement is empty (not even its flags byte)")]
    Empty,
    #[error("the flags say a {bits}-bit heart rate follows, but only {left} byte(s) do")]
    RateCutShort { bits: u8, left: usize },
    #[error("the flags say an energy field follows the heart rate, but only {left} byte(s) do")]
    EnergyCutShort { left: usize },
    #[error("the flags say RR intervals follow, but none do")]
    NoIntervals,
    #[error("the RR intervals take {bytes} bytes, which is not a whole number of 2-byte values")]
    HalfAnInterval { bytes: usize },
    #[error("{bytes} byte(s) follow the heart rate, but the flags announce no RR intervals")]
    TrailingBytes { bytes: usize },
}

/// Reads one notification's value.
pub fn parse_measurement(payload: &[u8]) -> Result<Measurement, MeasurementError> {
    let (&flags, mut rest) = payload.split_first().ok_or(MeasurementError::Empty)?;
    let heart_rate = if flags & RATE_16_BIT != 0 {
        let (rate, after) = take_u16(rest).ok_or(MeasurementError::RateCutShort {
            bits: 16,
            left: rest.len(),
        })?;
        rest = after;
        rate
    } else {
        let (&rate, after) = rest.split_first().ok_or(MeasurementError::RateCutShort {
            bits: 8,
            left: rest.len(),
        })?;
        rest = after;
        u16::from(rate)
    };
    let contact = match (
        flags & CONTACT_SUPPORTED != 0,
        flags & CONTACT_DETECTED != 0,
    ) {
        (false, _) => Contact::Unknown,
        (true, true) => Contact::Touching,
        (true, false) => Contact::NotTouching,
    };
    if flags & ENERGY_PRESENT != 0 {
        // The energy expended is of no use to breathing: skipped.
        let (_, after) =
            take_u16(rest).ok_or(MeasurementError::EnergyCutShort { left: rest.len() })?;
        rest = after;
    }
    let rr_1024 = if flags & RR_PRESENT != 0 {
        if rest.is_empty() {
            return Err(MeasurementError::NoIntervals);
        }
        if !rest.len().is_multiple_of(2) {
            return Err(MeasurementError::HalfAnInterval { bytes: rest.len() });
        }
        rest.chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect()
    } else {
        if !rest.is_empty() {
            return Err(MeasurementError::TrailingBytes { bytes: rest.len() });
        }
        Vec::new()
    };
    // Bits 5 to 7 are reserved for future use: the spec asks readers to ignore them.
    Ok(Measurement {
        heart_rate,
        contact,
        rr_1024,
    })
}

fn take_u16(bytes: &[u8]) -> Option<(u16, &[u8])> {
    match bytes {
        [low, high, rest @ ..] => Some((u16::from_le_bytes([*low, *high]), rest)),
        _ => None,
    }
}

/// A measurement as a strap would send it (for the stand-ins and the tests).
pub fn encode_measurement(
    heart_rate: u16,
    contact: Contact,
    energy: Option<u16>,
    rr_1024: &[u16],
) -> Vec<u8> {
    let mut flags = 0u8;
    let mut bytes = vec![0u8];
    if heart_rate > u16::from(u8::MAX) {
        flags |= RATE_16_BIT;
        bytes.extend_from_slice(&heart_rate.to_le_bytes());
    } else {
        bytes.push(heart_rate as u8);
    }
    match contact {
        Contact::Unknown => {}
        Contact::Touching => flags |= CONTACT_SUPPORTED | CONTACT_DETECTED,
        Contact::NotTouching => flags |= CONTACT_SUPPORTED,
    }
    if let Some(energy) = energy {
        flags |= ENERGY_PRESENT;
        bytes.extend_from_slice(&energy.to_le_bytes());
    }
    if !rr_1024.is_empty() {
        flags |= RR_PRESENT;
        for rr in rr_1024 {
            bytes.extend_from_slice(&rr.to_le_bytes());
        }
    }
    bytes[0] = flags;
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_polar_style_measurement_reads() {
        // Flags 0x16: 8-bit rate, contact supported and detected, RR present; 62 bpm; two
        // intervals of 1000 and 980 ticks.
        let payload = [0x16, 62, 0xe8, 0x03, 0xd4, 0x03];
        let m = parse_measurement(&payload).expect("reads");
        assert_eq!(m.heart_rate, 62);
        assert_eq!(m.contact, Contact::Touching);
        assert_eq!(m.rr_1024, [1000, 980]);
        let millis: Vec<f64> = m.rr_millis().collect();
        assert!((millis[0] - 976.5625).abs() < 1e-9, "{millis:?}");
    }

    #[test]
    fn a_sixteen_bit_rate_and_an_energy_field_are_read_past() {
        // 16-bit rate 300 (a strap may send it so), energy 0x1234 skipped, one interval.
        let payload = [0x19, 0x2c, 0x01, 0x34, 0x12, 0x00, 0x04];
        let m = parse_measurement(&payload).expect("reads");
        assert_eq!(m.heart_rate, 300);
        assert_eq!(m.contact, Contact::Unknown);
        assert_eq!(m.rr_1024, [1024]);
    }

    #[test]
    fn contact_supported_but_not_detected_is_said() {
        let m = parse_measurement(&[0x04, 0]).expect("reads");
        assert_eq!(m.contact, Contact::NotTouching);
        assert!(m.rr_1024.is_empty());
        // Bit 1 alone means nothing without bit 2.
        assert_eq!(
            parse_measurement(&[0x02, 70]).expect("reads").contact,
            Contact::Unknown
        );
    }

    #[test]
    fn malformed_payloads_are_refused_with_a_reason() {
        let cases: [(&[u8], MeasurementError); 6] = [
            (&[], MeasurementError::Empty),
            (&[0x00], MeasurementError::RateCutShort { bits: 8, left: 0 }),
            (
                &[0x01, 70],
                MeasurementError::RateCutShort { bits: 16, left: 1 },
            ),
            (&[0x08, 70, 1], MeasurementError::EnergyCutShort { left: 1 }),
            (&[0x10, 70], MeasurementError::NoIntervals),
            (
                &[0x10, 70, 0, 4, 9],
                MeasurementError::HalfAnInterval { bytes: 3 },
            ),
        ];
        for (payload, expected) in cases {
            let error = parse_measurement(payload).expect_err("refused");
            assert_eq!(error, expected, "{payload:?}");
            assert!(!error.to_string().is_empty());
        }
        assert_eq!(
            parse_measurement(&[0x00, 70, 1, 2]),
            Err(MeasurementError::TrailingBytes { bytes: 2 })
        );
    }

    /// What a payload should read as, worked out from the spec's layout independently of the
    /// parser's order of steps: the byte count each field takes.
    fn expected(flags: u8, body: &[u8]) -> Result<(u16, usize), ()> {
        let rate_len = if flags & 1 != 0 { 2 } else { 1 };
        let energy_len = if flags & 8 != 0 { 2 } else { 0 };
        if body.len() < rate_len + energy_len {
            return Err(());
        }
        let rate = if rate_len == 2 {
            u16::from(body[0]) | (u16::from(body[1]) << 8)
        } else {
            u16::from(body[0])
        };
        let rr_bytes = body.len() - rate_len - energy_len;
        let rr_ok = if flags & 16 != 0 {
            rr_bytes > 0 && rr_bytes.is_multiple_of(2)
        } else {
            rr_bytes == 0
        };
        if rr_ok {
            Ok((rate, rr_bytes / 2))
        } else {
            Err(())
        }
    }

    /// Every flags byte with every length from 0 to 24 bytes, each once (the property below
    /// also varies the bytes themselves).
    #[test]
    fn every_flags_byte_with_every_length_is_read_exactly_when_it_fits() {
        for flags in 0..=u8::MAX {
            for length in 0..=24usize {
                let body: Vec<u8> = (0..length)
                    .map(|i| (i as u8).wrapping_mul(37) ^ flags)
                    .collect();
                let mut payload = vec![flags];
                payload.extend_from_slice(&body);
                match (parse_measurement(&payload), expected(flags, &body)) {
                    (Ok(m), Ok((rate, intervals))) => {
                        assert_eq!(
                            (m.heart_rate, m.rr_1024.len()),
                            (rate, intervals),
                            "{payload:?}"
                        )
                    }
                    (Err(_), Err(())) => {}
                    (parsed, wanted) => panic!("{payload:?}: {parsed:?}, expected {wanted:?}"),
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Every flags byte (reserved bits included) with every payload length up to 24 bytes:
        /// read exactly when the layout fits, refused otherwise, never a panic.
        #[test]
        fn every_flag_combination_and_length_reads_or_is_refused(
            flags in any::<u8>(),
            body in proptest::collection::vec(any::<u8>(), 0..24),
        ) {
            let mut payload = vec![flags];
            payload.extend_from_slice(&body);
            let parsed = parse_measurement(&payload);
            match (parsed, expected(flags, &body)) {
                (Ok(m), Ok((rate, intervals))) => {
                    prop_assert_eq!(m.heart_rate, rate);
                    prop_assert_eq!(m.rr_1024.len(), intervals);
                    let supported = flags & 4 != 0;
                    let detected = flags & 2 != 0;
                    prop_assert_eq!(m.contact, match (supported, detected) {
                        (false, _) => Contact::Unknown,
                        (true, true) => Contact::Touching,
                        (true, false) => Contact::NotTouching,
                    });
                    if intervals > 0 {
                        let start = payload.len() - 2 * intervals;
                        let last = u16::from_le_bytes([payload[payload.len() - 2], payload[payload.len() - 1]]);
                        prop_assert_eq!(m.rr_1024.last().copied(), Some(last));
                        let first = u16::from_le_bytes([payload[start], payload[start + 1]]);
                        prop_assert_eq!(m.rr_1024.first().copied(), Some(first));
                    }
                }
                (Err(error), Err(())) => prop_assert!(!error.to_string().is_empty()),
                (parsed, wanted) => prop_assert!(false, "{:?} read as {:?}, expected {:?}", payload, parsed, wanted),
            }
        }

        /// What a strap sends reads back as it was sent.
        #[test]
        fn encoded_measurements_read_back(
            heart_rate in any::<u16>(),
            contact in prop_oneof![Just(Contact::Unknown), Just(Contact::Touching), Just(Contact::NotTouching)],
            energy in any::<Option<u16>>(),
            rr in proptest::collection::vec(any::<u16>(), 0..9),
        ) {
            let payload = encode_measurement(heart_rate, contact, energy, &rr);
            let m = parse_measurement(&payload).expect("reads");
            prop_assert_eq!(m, Measurement { heart_rate, contact, rr_1024: rr });
        }
    }
}
