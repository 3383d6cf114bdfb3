public enum ChatTagVersion { public static let current = "0.1.0" }
