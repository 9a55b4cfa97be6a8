import MessageContracts

extension DeclarationType {
    /// The declaration types a schedule of `group` may list: `retained-2` is for leadership courses only.
    public static func allowed(in group: CourseGroup) -> [DeclarationType] {
        group == .leadership ? allCases : [.started, .retained1, .completed]
    }
}
