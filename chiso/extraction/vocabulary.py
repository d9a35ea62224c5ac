"""The Vietnamese words the extractor knows: the common vocabulary of resolutions and
reports, plus indicator synonyms.

Two uses, both deliberately small and inspectable:

- **OCR lexicon.** A token of an accent-stripped or OCR-damaged text that is not a word
  here is a candidate for repair ("nim" → "nam", "1én" → "len"); a word here that no
  neighbour supports may be swapped for a one-edit neighbour that is supported ("tre len"
  → "tro len"). See :mod:`chiso.extraction.normalise`.
- **Diacritics.** When a draft needs Vietnamese text and the input had none, the
  sentence is rewritten phrase by phrase from these forms (longest match first), falling
  back to the most frequent accented form of each syllable. Words not listed stay
  without diacritics; a reviewer corrects them.

The list is the vocabulary of the *target* sentences of provincial resolutions (growth,
structure, budget, poverty, schools, health, digital government, Party building,
infrastructure). It was drafted while reading the Cao Bằng 2025–2030 political report,
so that report's target phrases are all here; texts of other provinces will meet words
it lacks (their targets still parse, since parsing needs only the comparator, unit and
time words, but repair and restored diacritics are poorer). It is not a dictionary of
Vietnamese: extend it when a resolution uses words it lacks. The indicator catalogue's
names and descriptions are added to it at run time.
"""

from __future__ import annotations

# One phrase a line. Spelling follows the resolutions ("tỉ lệ" and "tỷ lệ" both occur).
PHRASES = """
tốc độ tăng trưởng GRDP bình quân
tốc độ tăng trưởng kinh tế
tăng trưởng bình quân đạt 10%/năm trở lên
tổng sản phẩm trên địa bàn
GRDP bình quân đầu người
thu nhập bình quân đầu người
triệu đồng/người/năm
cơ cấu GRDP
cơ cấu kinh tế chuyển dịch
khu vực dịch vụ và công nghiệp chiếm trên
nông lâm nghiệp
nông, lâm, ngư nghiệp
nông, lâm nghiệp và thủy sản
công nghiệp - xây dựng
thuế sản phẩm trừ trợ cấp sản phẩm
thu ngân sách trên địa bàn tăng bình quân
thu ngân sách nhà nước
chi ngân sách
vốn đầu tư thực hiện trên địa bàn
tổng vốn đầu tư toàn xã hội
vốn đầu tư công
giải ngân vốn đầu tư công
đóng góp của kinh tế số trong GRDP
trong đó kinh tế số nền tảng chiếm
kinh tế số lõi
tỉ lệ hộ nghèo đa chiều giảm bình quân
tỷ lệ hộ nghèo
hộ cận nghèo
tỉ lệ xã đạt chuẩn nông thôn mới
nông thôn mới nâng cao
nông thôn mới kiểu mẫu
giảm ít nhất 40% số điểm trường lẻ
bảo đảm trên 80% số xã có trường bán trú hoặc nội trú
xã biên giới có trường phổ thông nội trú liên cấp
trường phổ thông dân tộc bán trú
trường đạt chuẩn quốc gia
xây dựng mới 01 bệnh viện đa khoa tuyến tỉnh quy mô 500 giường
có khả năng nâng cấp lên
sau năm 2030
được đầu tư đồng bộ về cơ sở hạ tầng, trang thiết bị và nguồn nhân lực
đồng thời
chi phí thanh toán dịch vụ y tế ngoại tỉnh
thông qua việc nâng cao chất lượng hệ thống y tế địa phương
tăng cường niềm tin và khả năng tiếp cận dịch vụ y tế ngay tại cơ sở
khám, chữa bệnh bảo hiểm y tế
số bác sĩ trên một vạn dân
số giường bệnh trên một vạn dân
xã trên địa bàn tỉnh đạt mức chỉ số hạnh phúc người dân
từ 90 điểm trở lên
phản ánh mức sống hài lòng và bền vững
bảo đảm phát triển bao trùm về an sinh, cơ hội, văn hóa, niềm tin
tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp
tỉ lệ cơ sở dữ liệu chuyên ngành kết nối, xác thực với cơ sở dữ liệu quốc gia về dân cư
qua nền tảng số
hồ sơ công việc được xử lý trên môi trường mạng
chỉ số cải cách hành chính
chỉ số chuyển đổi số
chỉ số năng lực cạnh tranh cấp tỉnh
chỉ số hiệu quả quản trị và hành chính công cấp tỉnh
chỉ số hài lòng về sự phục vụ hành chính
nằm trong nhóm 25 tỉnh, thành phố trên cả nước
đứng trong nhóm dẫn đầu
xếp hạng
tỉ lệ tổ chức đảng hoàn thành tốt nhiệm vụ hằng năm
tổ chức cơ sở đảng
kết nạp đảng viên mới hằng năm
hàng năm
mỗi năm
có trên
đạt từ
chiếm từ
đóng góp từ
tăng từ
giảm từ
tỉ lệ hộ dân được sử dụng điện
tổng kim ngạch xuất, nhập khẩu qua địa bàn tăng bình quân
du lịch trở thành ngành có đóng góp
giải quyết sinh kế cho lao động địa phương
tổng lượt khách du lịch
tổng thu từ khách du lịch
khắc phục điểm tiềm ẩn tai nạn giao thông trên các tuyến quốc lộ
kiên cố hóa mặt đường đường tỉnh
mặt đường xã
tỉ lệ đô thị hóa toàn tỉnh
khu vực kinh tế tư nhân đóng góp
tạo việc làm cho lực lượng lao động của tỉnh
bảo hiểm y tế bao phủ dân cư
tỉ lệ dân số tham gia bảo hiểm y tế
tỉ lệ che phủ rừng
tỉ lệ lao động qua đào tạo
tỉ lệ thất nghiệp ở khu vực thành thị
tuổi thọ trung bình
chất thải rắn sinh hoạt được thu gom, xử lý
nước sạch
tỉ lệ
tỷ lệ
tỉ trọng
tỷ trọng
tỉ đồng
tỷ đồng
triệu đồng
triệu USD
tỷ USD
lượt khách
đảng viên
giường bệnh
phấn đấu
bảo đảm
đảm bảo
tối thiểu
tối đa
ít nhất
không thấp hơn
không dưới
không quá
không vượt quá
trở lên
trở xuống
so với năm 2025
so với cuối nhiệm kỳ
so với đầu nhiệm kỳ
giai đoạn 2026 - 2030
nhiệm kỳ 2025 - 2030
các chỉ tiêu chủ yếu 5 năm 2025 - 2030
mục tiêu tổng quát
mục tiêu cụ thể
nhiệm vụ và giải pháp chủ yếu
phương hướng, mục tiêu, nhiệm vụ
về kinh tế
về văn hóa - xã hội
về chuyển đổi số, cải cách hành chính
về công tác xây dựng Đảng
về quốc phòng - an ninh
về môi trường
về xã hội
phát triển kinh tế
văn hóa - xã hội
quốc phòng - an ninh, đối ngoại
công tác xây dựng Đảng
xây dựng Đảng và hệ thống chính trị
Đảng bộ tỉnh
Ban Chấp hành
Đại hội đại biểu
nghị quyết
báo cáo chính trị
hội đồng nhân dân
ủy ban nhân dân
đánh giá kết quả thực hiện nghị quyết
kết quả đạt được
phát triển du lịch bền vững
phát triển kinh tế cửa khẩu
đầu tư xây dựng
hoàn thành
đưa vào sử dụng
khởi công
nâng cấp
trung tâm y tế
trạm y tế xã
trường học
xã, phường
đơn vị hành chính cấp xã
thôn, xóm
tổ dân phố
nhân dân
người dân
doanh nghiệp
hợp tác xã
hộ gia đình
hộ dân
dân số
lao động
việc làm
thu nhập
đời sống
an sinh xã hội
giảm nghèo bền vững
y tế
giáo dục và đào tạo
khoa học, công nghệ và đổi mới sáng tạo
chính quyền số
xã hội số
công dân số
hạ tầng số
dữ liệu số
thương mại điện tử
thanh toán không dùng tiền mặt
đường cao tốc
đường giao thông nông thôn
cứng hóa
nhựa hóa
điện lưới quốc gia
sử dụng đất
diện tích
sản lượng
lương thực
cây trồng
chăn nuôi
rừng trồng
dược liệu
khoáng sản
môi trường
biến đổi khí hậu
thiên tai
thực hiện
tiếp tục
tập trung
nâng cao
tăng cường
đẩy mạnh
xây dựng
phát triển
hiệu quả
chất lượng
quy hoạch
tỉnh
thành phố
cả nước
toàn tỉnh
địa phương
khu vực
vùng
biên giới
cửa khẩu
cao
thấp
tăng
giảm
đạt
chiếm
trên
dưới
hơn
từ
đến
năm
điểm
xã
người
hộ
số
mới
lên
""".strip().splitlines()


# Words and phrases a resolution uses for an indicator that its catalogue name lacks.
# A real deployment would keep these in the catalogue; they are here so the catalogue's
# format stays as it is.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "grdp_growth": ("tốc độ tăng trưởng GRDP", "tăng trưởng kinh tế"),
    "grdp_per_capita": ("GRDP bình quân đầu người", "thu nhập bình quân đầu người"),
    "grdp_share_nonfarm": ("khu vực dịch vụ và công nghiệp", "dịch vụ và công nghiệp chiếm"),
    "grdp_share_agriculture": ("nông lâm nghiệp", "nông, lâm, ngư nghiệp"),
    "digital_economy_share": ("đóng góp của kinh tế số trong GRDP",),
    "digital_economy_core_share": ("kinh tế số nền tảng",),
    "budget_revenue": ("thu ngân sách trên địa bàn",),
    "investment_realized": ("vốn đầu tư thực hiện trên địa bàn", "vốn đầu tư toàn xã hội"),
    "import_export_turnover": ("kim ngạch xuất nhập khẩu qua địa bàn",),
    "poverty_rate_multidim": ("hộ nghèo đa chiều",),
    "new_rural_standard": ("xã đạt chuẩn nông thôn mới",),
    "satellite_school_sites": ("điểm trường lẻ",),
    "boarding_school": ("xã có trường bán trú hoặc nội trú",),
    "border_boarding_school": ("xã biên giới có trường phổ thông nội trú liên cấp",),
    "provincial_hospital_500_stage": ("xây dựng mới bệnh viện đa khoa tuyến tỉnh", "bệnh viện giường"),
    "out_of_province_health_cost_share": ("giảm chi phí thanh toán dịch vụ y tế ngoại tỉnh",),
    "hpi_score": ("chỉ số hạnh phúc người dân CB-HPI",),
    "online_public_service_rate": ("sử dụng dịch vụ công trực tuyến",),
    "specialized_db_connected_share": ("cơ sở dữ liệu chuyên ngành kết nối",),
    "par_index_rank": ("PAR Index",),
    "dti_rank": ("DTI",),
    "party_org_good_share": ("tổ chức đảng hoàn thành tốt nhiệm vụ hằng năm",),
    "new_party_members": ("kết nạp đảng viên mới hằng năm",),
    "electrified_households_share": ("hộ dân được sử dụng điện",),
    "tourism_grdp_share": ("du lịch trở thành ngành có đóng góp GRDP",),
    "tourism_labour_share": ("du lịch giải quyết sinh kế cho lao động địa phương",),
    "national_road_accident_spots_fixed": ("khắc phục điểm tiềm ẩn tai nạn giao thông quốc lộ",),
    "provincial_roads_hard_surfaced": ("kiên cố hóa mặt đường đường tỉnh",),
    "commune_roads_hard_surfaced": ("kiên cố hóa mặt đường xã",),
    "urbanisation_rate": ("đô thị hóa toàn tỉnh",),
    "private_sector_grdp_share": ("khu vực kinh tế tư nhân đóng góp GRDP",),
    "private_sector_jobs_share": ("khu vực kinh tế tư nhân tạo việc làm cho lực lượng lao động",),
    "health_insurance_coverage": ("bảo hiểm y tế bao phủ dân cư",),
}
